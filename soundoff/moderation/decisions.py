"""Decisions on comments: readers' flags, and what moderators and the
system decide (approve, remove, restore, feature, withhold), each audited.

The moderator pages, the admin, the API and the background checks call
these. Each takes the actor as ``by`` (None for the system), checks that
the actor may make the decision, locks the comment, applies the change
through the discussion's own ``discussion.changes`` (which keeps the thread
and live readers right) and writes one log row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypedDict, Unpack

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soundoff.accounts.models import ConductRule, User
from soundoff.discussion.changes import apply_featured, apply_status, send_after_commit
from soundoff.discussion.errors import NotSignedIn
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.lib.ratelimit import hit, parse_rate

from . import notices
from .access import require_moderator
from .alerts import watch_story
from .audit import record
from .errors import AlreadyDecided, FlagRefused, InvalidDecision
from .models import ActionKind, Flag, ModerationAction
from .queries import sanction_notice
from .signals import comment_reported


def flag_comment(
    comment: Comment, *, by: User, rule: ConductRule | None = None, explanation: str = ""
) -> Flag:
    """A reader reports a comment, citing a rule or explaining "other".

    Enough open flags withhold the comment until a moderator decides.
    """
    if not isinstance(by, User) or not by.is_active:
        raise NotSignedIn()
    explanation = explanation.strip()
    refusal = sanction_notice(by)
    if refusal is not None:
        raise FlagRefused(refusal, code="sanctioned")
    if comment.author_id == by.pk:
        raise FlagRefused(_("You can't report your own comment."))
    nothing_to_report = _("That comment is no longer shown, so there is nothing to report.")
    if not comment.is_visible:
        raise FlagRefused(nothing_to_report)
    if rule is None and not explanation:
        raise FlagRefused(_("Choose the rule the comment breaks, or explain what is wrong."))
    if len(explanation) > 500:
        raise FlagRefused(_("Keep the explanation under 500 characters."))
    if not hit(f"flag:reader:{by.pk}", parse_rate(settings.SOUNDOFF_FLAG_RATE)).allowed:
        raise FlagRefused(
            _("You have sent many reports recently. Please try again later."), code="rate_limited"
        )
    try:
        with transaction.atomic():
            # Checked again under the lock: the caller's copy may be stale
            # (removed or deleted since the reader loaded the page).
            locked = Comment.objects.select_for_update().get(pk=comment.pk)
            if not locked.is_visible:
                raise FlagRefused(nothing_to_report)
            flag = Flag.objects.create(
                comment=locked, reporter=by, rule=rule, explanation=explanation
            )
            watch_story(locked.thread_id)
            send_after_commit(comment_reported, locked)
            record(ActionKind.REPORTED, by=by, comment=locked, rule=rule, note=explanation)
            Comment.objects.filter(pk=comment.pk).update(open_flags=F("open_flags") + 1)
            locked.refresh_from_db(fields=["open_flags"])
            # Readers' reports only: the pipeline's own flags (links, a
            # suspect word) already put it in a queue, and must not let one
            # reader withhold a comment alone.
            reports = Flag.objects.filter(
                comment=locked, reporter__isnull=False, resolved_at=None
            ).count()
            if locked.is_visible and reports >= settings.SOUNDOFF_FLAG_THRESHOLD:
                _withhold(
                    locked,
                    reason_code="flags",
                    rule=rule,
                    note=ngettext("%(n)d open report", "%(n)d open reports", reports)
                    % {"n": reports},
                )
    except IntegrityError:
        raise FlagRefused(_("You have already reported this comment. Thank you.")) from None
    return flag


def approve_comment(
    comment: Comment, *, by: User | None, seen_version: int | None = None
) -> Comment:
    """Show the comment (or keep it shown) and settle its open flags."""
    with _deciding(comment, by, seen_version) as locked:
        if locked.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
            raise InvalidDecision(_("Only shown or held comments can be approved."))
        before = locked.status
        locked.held_reason = ""
        locked.reviewed_at = timezone.now()
        _resolve_flags(locked)
        apply_status(
            locked,
            CommentStatus.VISIBLE,
            also=["held_reason", "reviewed_at", "open_flags", "decision_version"],
        )
        _log(ActionKind.APPROVED, locked, by=by, before=before)
    return locked


def remove_comment(
    comment: Comment,
    *,
    by: User | None,
    rule: ConductRule,
    note: str = "",
    seen_version: int | None = None,
) -> Comment:
    """Hide the comment, citing the rule it breaks, and tell its author."""
    with _deciding(comment, by, seen_version) as locked:
        if locked.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
            raise InvalidDecision(_("Only shown or held comments can be removed."))
        before = locked.status
        locked.reviewed_at = timezone.now()
        _resolve_flags(locked)
        apply_status(
            locked, CommentStatus.REMOVED, also=["reviewed_at", "open_flags", "decision_version"]
        )
        decision = _log(ActionKind.REMOVED, locked, by=by, before=before, rule=rule, note=note)
        notices.after_commit(notices.tell_of_removal, decision_id=decision.pk)
    return locked


def restore_comment(
    comment: Comment, *, by: User | None, seen_version: int | None = None
) -> Comment:
    """Undo a removal."""
    with _deciding(comment, by, seen_version) as locked:
        if locked.status != CommentStatus.REMOVED:
            raise InvalidDecision(_("Only removed comments can be restored."))
        locked.reviewed_at = timezone.now()
        apply_status(locked, CommentStatus.VISIBLE, also=["reviewed_at", "decision_version"])
        _log(ActionKind.RESTORED, locked, by=by, before=CommentStatus.REMOVED)
    return locked


def feature_comment(
    comment: Comment, *, by: User | None, featured: bool = True, seen_version: int | None = None
) -> Comment:
    """Show the comment among the featured (or stop): its status stays."""
    with _deciding(comment, by, seen_version) as locked:
        if featured and not locked.is_visible:
            raise InvalidDecision(_("Only visible comments can be featured."))
        apply_featured(locked, featured, also=["decision_version"])
        action = ActionKind.FEATURED if featured else ActionKind.UNFEATURED
        _log(action, locked, by=by, before=locked.status)
    return locked


def withhold_comment(
    comment: Comment, *, reason_code: str, rule: ConductRule | None = None, note: str = ""
) -> Comment | None:
    """The system takes a visible comment down for review (a high score,
    too many flags). Returns None when it was no longer visible."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if not locked.is_visible:
            return None
        _withhold(locked, reason_code=reason_code, rule=rule, note=note)
    return locked


def _withhold(locked: Comment, *, reason_code: str, rule: ConductRule | None, note: str) -> None:
    locked.held_reason = reason_code
    locked.decision_version += 1
    apply_status(locked, CommentStatus.HELD, also=["held_reason", "decision_version"])
    _log(
        ActionKind.WITHHELD,
        locked,
        by=None,
        before=CommentStatus.VISIBLE,
        rule=rule,
        reason_code=reason_code,
        note=note,
    )
    watch_story(locked.thread_id)
    notices.tell_author_of_hold(locked)


@contextmanager
def _deciding(comment: Comment, by: User | None, seen_version: int | None) -> Iterator[Comment]:
    """Lock the comment for one decision; refuse if anyone decided on it
    since the moderator's page showed ``seen_version`` (two moderators on
    one item: the second is told, and nothing is applied twice)."""
    require_moderator(by)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("author").get(pk=comment.pk)
        if seen_version is not None and locked.decision_version != seen_version:
            last = ModerationAction.objects.filter(comment=locked).select_related("actor").first()
            who = last.actor.display_name if last and last.actor else _("the system")
            what = last.get_action_display().lower() if last else _("changed")
            raise AlreadyDecided(
                _(
                    "Already decided by %(who)s (%(what)s). Nothing was changed; the queue shows "
                    "the comment as it is now."
                )
                % {"who": who, "what": what}
            )
        locked.decision_version += 1
        yield locked


class _Cited(TypedDict, total=False):
    rule: ConductRule | None
    reason_code: str
    note: str


def _log(
    action: ActionKind,
    locked: Comment,
    *,
    by: User | None,
    before: str,
    **cited: Unpack[_Cited],
) -> ModerationAction:
    """A decision's row in the log, with the comment's status before the
    decision and after it."""
    return record(
        action, by=by, comment=locked, status_before=before, status_after=locked.status, **cited
    )


def _resolve_flags(locked: Comment) -> None:
    Flag.objects.filter(comment=locked, resolved_at=None).update(resolved_at=timezone.now())
    locked.open_flags = 0
