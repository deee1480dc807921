"""Moderation decisions: one function per decision, each audited.

The moderator pages, the admin, the API and the background checks call
these. Each takes the actor as ``by`` (None for the system), checks that
the actor may make the decision, locks the comment, applies the change
through ``discussion.services.apply_status`` and writes one log row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soundoff.accounts.models import ConductRule, User
from soundoff.discussion.errors import NotSignedIn
from soundoff.discussion.models import MODERATE, Comment, CommentStatus, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.discussion.services import announce, apply_status
from soundoff.lib.ratelimit import hit, parse_rate

from . import notices
from .alerts import watch_story
from .audit import record
from .errors import AlreadyDecided, FlagRefused, InvalidDecision, NotPermitted
from .models import (
    ActionKind,
    Flag,
    ModerationAction,
    Sanction,
    SanctionKind,
    WordList,
    WordListKind,
)
from .pipeline.phases import sanctions
from .signals import comment_reported


def require_moderator(by: User | None) -> None:
    """The system (None) and holders of moderation.moderate may decide."""
    if by is not None and not by.has_perm(MODERATE):
        raise NotPermitted(_("Only moderators can do that."))


# --- Readers' flags -----------------------------------------------------------


def flag_comment(
    comment: Comment, *, by: User, rule: ConductRule | None = None, explanation: str = ""
) -> Flag:
    """A reader reports a comment, citing a rule or explaining "other".

    Enough open flags withhold the comment until a moderator decides.
    """
    if not isinstance(by, User) or not by.is_active:
        raise NotSignedIn()
    explanation = explanation.strip()
    refusal = sanctions.notice(by)
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
            transaction.on_commit(
                partial(
                    comment_reported.send,
                    sender=Comment,
                    comment_id=locked.pk,
                    thread_id=locked.thread_id,
                )
            )
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


# --- Decisions on comments ----------------------------------------------------


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
        record(
            ActionKind.APPROVED,
            by=by,
            comment=locked,
            status_before=before,
            status_after=locked.status,
        )
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
        decision = record(
            ActionKind.REMOVED,
            by=by,
            comment=locked,
            status_before=before,
            status_after=locked.status,
            rule=rule,
            note=note,
        )
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
        record(
            ActionKind.RESTORED,
            by=by,
            comment=locked,
            status_before=CommentStatus.REMOVED,
            status_after=locked.status,
        )
    return locked


def feature_comment(
    comment: Comment, *, by: User | None, featured: bool = True, seen_version: int | None = None
) -> Comment:
    with _deciding(comment, by, seen_version) as locked:
        if featured and not locked.is_visible:
            raise InvalidDecision(_("Only visible comments can be featured."))
        locked.featured = featured
        locked.save(update_fields=["featured", "decision_version"])
        Thread.objects.filter(pk=locked.thread_id).changed()
        announce(locked, "featured")
        record(
            ActionKind.FEATURED if featured else ActionKind.UNFEATURED,
            by=by,
            comment=locked,
            status_before=locked.status,
            status_after=locked.status,
        )
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
    record(
        ActionKind.WITHHELD,
        by=None,
        comment=locked,
        status_before=CommentStatus.VISIBLE,
        status_after=CommentStatus.HELD,
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


def _resolve_flags(locked: Comment) -> None:
    Flag.objects.filter(comment=locked, resolved_at=None).update(resolved_at=timezone.now())
    locked.open_flags = 0


# --- Sanctions ----------------------------------------------------------------


def suspend_user(
    user: User,
    *,
    by: User | None,
    duration: timedelta,
    rule: ConductRule | None = None,
    note: str = "",
) -> Sanction:
    if duration <= timedelta(0):
        raise InvalidDecision(_("A suspension needs a duration."))
    return _sanction(
        user,
        by=by,
        kind=SanctionKind.SUSPENSION,
        rule=rule,
        note=note,
        ends_at=timezone.now() + duration,
    )


def ban_user(
    user: User, *, by: User | None, rule: ConductRule | None = None, note: str = ""
) -> Sanction:
    return _sanction(user, by=by, kind=SanctionKind.BAN, rule=rule, note=note, ends_at=None)


def lift_sanctions(
    user: User, *, by: User | None, note: str = "", only: Sanction | None = None
) -> int:
    """Lift the sanctions in force on ``user``, or ``only`` that one (an
    appeal against it was granted)."""
    require_moderator(by)
    with transaction.atomic():
        in_force = Sanction.objects.in_force().filter(user=user)
        if only is not None:
            in_force = in_force.filter(pk=only.pk)
        lifted = in_force.update(lifted_at=timezone.now())
        if lifted:
            record(ActionKind.SANCTION_LIFTED, by=by, user=user, note=note)
    return lifted


def _sanction(
    user: User,
    *,
    by: User | None,
    kind: SanctionKind,
    rule: ConductRule | None,
    note: str,
    ends_at: datetime | None,
) -> Sanction:
    require_moderator(by)
    if by is not None and user.pk == by.pk:
        raise InvalidDecision(_("You can't sanction yourself."))
    if user.has_perm(MODERATE) or user.is_staff:
        raise InvalidDecision(
            _(
                "Staff and moderators can't be sanctioned here; an operator "
                "can remove their access in the admin."
            )
        )
    with transaction.atomic():
        decision = record(
            ActionKind.BANNED if kind == SanctionKind.BAN else ActionKind.SUSPENDED,
            by=by,
            user=user,
            rule=rule,
            note=note,
            reason_code=ends_at.isoformat() if ends_at else "",
        )
        sanction = Sanction.objects.create(
            user=user,
            kind=kind,
            ends_at=ends_at,
            rule=rule,
            note=note,
            created_by=by,
            decision=decision,
        )
        notices.after_commit(notices.tell_of_sanction, sanction_id=sanction.pk)
    return sanction


# --- Discussions and word lists -------------------------------------------------


def may_set_discussion_policy(user: User) -> bool:
    """Editors (discussion.change_thread) and moderators run discussions."""
    return user.has_perm(MODERATE) or user.has_perm("discussion.change_thread")


def set_discussion_policy(thread: Thread, *, by: User | None, policy: DiscussionPolicy) -> Thread:
    """Editors and moderators open, close, slow down or pre-moderate."""
    if by is not None and not may_set_discussion_policy(by):
        raise NotPermitted(_("Only editors and moderators can change a discussion's policy."))
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        before = DiscussionPolicy.of(locked)
        if before == policy:
            return locked
        policy.apply_to(locked)
        locked.save(update_fields=["mode", "slow_mode_seconds", "close_after_hours"])
        Thread.objects.filter(pk=locked.pk).changed()
        record(
            ActionKind.DISCUSSION_CHANGED,
            by=by,
            thread=locked,
            status_before=before.mode,
            status_after=policy.mode,
            note=_("slow mode %(slow)ss, closes after %(hours)s h")
            % {
                "slow": policy.slow_mode_seconds,
                "hours": policy.close_after_hours
                if policy.close_after_hours is not None
                else _("the site default"),
            },
        )
    thread.refresh_from_db()
    return locked


def update_word_list(
    kind: str, *, by: User | None, words: str, rule_number: int | None = None
) -> WordList:
    require_moderator(by)
    if kind not in WordListKind.values:
        raise InvalidDecision(_("There is no word list called %(kind)s.") % {"kind": kind})
    # Matching ignores case, so "Idiot" and "idiot" are one entry: the
    # first spelling is kept (a set would keep either, differently each run).
    unique: dict[str, str] = {}
    for line in words.splitlines():
        if line.strip():
            unique.setdefault(line.strip().casefold(), line.strip())
    entries = sorted(unique.values(), key=str.casefold)
    if any(len(entry) > 100 for entry in entries):
        raise InvalidDecision(_("Keep each word or phrase under 100 characters."))
    with transaction.atomic():
        word_list, _created = WordList.objects.select_for_update().get_or_create(kind=kind)
        word_list.words = "\n".join(entries)
        word_list.rule_number = rule_number
        word_list.version = F("version") + 1
        word_list.save()
        record(
            ActionKind.WORDS_CHANGED,
            by=by,
            reason_code=kind,
            note=_("%(n)d entries") % {"n": len(entries)},
        )
    word_list.refresh_from_db()
    return word_list
