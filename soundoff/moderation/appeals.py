"""Appeals: a reader asks the moderators to look again at a decision about
them (the removal of their comment, their suspension or ban), once per
decision, and the moderators are mailed about it (alerts.tell_of_appeal);
a moderator grants or turns it down with an answer, and the reader is told
by e-mail. Granting undoes the decision through the same
services a moderator would use by hand (restore_comment, lift_sanctions),
so it is logged like them, and the appeal's outcome is logged besides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.models import User
from soundoff.discussion.errors import NotAllowed, NotSignedIn
from soundoff.discussion.models import CommentStatus
from soundoff.lib.text import normalize_newlines, unstorable_reason

from . import alerts, notices
from .access import require_moderator
from .audit import record
from .decisions import restore_comment
from .errors import AlreadyDecided, AppealRefused
from .models import ActionKind, Appeal, AppealStatus, ModerationAction, Sanction
from .sanctions import lift_sanctions

APPEAL_MAX_LENGTH = 2000
REMOVAL = (ActionKind.REMOVED,)
SANCTIONS = (ActionKind.SUSPENDED, ActionKind.BANNED)


@dataclass(frozen=True)
class Appealable:
    """A decision about the reader, and their appeal of it if they made one."""

    decision: ModerationAction
    appeal: Appeal | None

    @property
    def may_appeal(self) -> bool:
        return self.appeal is None


def decisions_about(user: User) -> list[Appealable]:
    """The decisions ``user`` may appeal or has appealed, still in force:
    their comments removed (and not restored since), their sanctions not
    yet ended or lifted. Newest first. A fixed number of queries."""
    removals = (
        ModerationAction.objects.filter(
            user=user, action__in=REMOVAL, comment__status=CommentStatus.REMOVED
        )
        .select_related("rule", "comment__thread__post")
        .order_by("-created_at", "-id")
    )
    # A comment removed, restored and removed again has two removals: the
    # newest is the one in force.
    latest: dict[int, ModerationAction] = {}
    for action in removals[:200]:
        assert action.comment_id is not None
        latest.setdefault(action.comment_id, action)
    sanctions = ModerationAction.objects.filter(
        user=user, action__in=SANCTIONS, sanction__in=Sanction.objects.in_force()
    ).select_related("rule", "sanction")
    decisions = sorted(
        [*latest.values(), *sanctions], key=lambda a: (a.created_at, a.pk), reverse=True
    )
    appeals = {a.decision_id: a for a in Appeal.objects.filter(decision__in=decisions)}
    return [Appealable(decision, appeals.get(decision.pk)) for decision in decisions]


def appeals_of(user: User) -> QuerySet[Appeal]:
    return Appeal.objects.filter(user=user).select_related(
        "decision__rule", "decision__comment__thread__post"
    )


def file_appeal(decision: ModerationAction, *, by: User, text: str) -> Appeal:
    """The reader concerned appeals ``decision`` with ``text``; raises
    AppealRefused saying why not (their text stays with the caller)."""
    if not isinstance(by, User) or not by.is_active:
        raise NotSignedIn()
    if decision.user_id != by.pk:
        raise NotAllowed(_("Only the reader a decision is about can appeal it."))
    text = normalize_newlines(text).strip()
    if not text:
        raise AppealRefused(_("Say why the decision should be looked at again."))
    if len(text) > APPEAL_MAX_LENGTH:
        raise AppealRefused(
            _("Your appeal is %(length)s characters long; the limit is %(limit)s. Shorten it.")
            % {"length": f"{len(text):,}", "limit": f"{APPEAL_MAX_LENGTH:,}"}
        )
    problem = unstorable_reason(text)
    if problem:
        raise AppealRefused(problem)
    current = {item.decision.pk: item for item in decisions_about(by)}
    if decision.pk not in current:
        raise AppealRefused(
            _("That decision is no longer in force, so there is nothing to appeal.")
        )
    already = _("You have already appealed this decision.")
    if current[decision.pk].appeal is not None:
        raise AppealRefused(already)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(user=by, decision=decision, text=text)
            record(
                ActionKind.APPEALED,
                by=by,
                user=by,
                comment=decision.comment,
                reason_code=decision.action,
            )
            alerts.announce_appeal(appeal)
    except IntegrityError:
        # The same appeal sent twice at once (two tabs): one is kept.
        raise AppealRefused(already) from None
    return appeal


def decide_appeal(appeal: Appeal, *, by: User, grant: bool, answer: str = "") -> Appeal:
    """A moderator grants (undoing the decision) or turns down an appeal."""
    require_moderator(by)
    answer = normalize_newlines(answer).strip()
    if len(answer) > APPEAL_MAX_LENGTH:
        raise AppealRefused(
            _("Keep the answer under %(limit)s characters.") % {"limit": f"{APPEAL_MAX_LENGTH:,}"}
        )
    with transaction.atomic():
        locked = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("user", "decision__comment", "decision__sanction")
            .get(pk=appeal.pk)
        )
        if not locked.is_open:
            who = locked.decided_by.display_name if locked.decided_by else _("someone")
            raise AlreadyDecided(
                _("Already decided by %(who)s. Nothing was changed.") % {"who": who}
            )
        if grant:
            _undo(locked.decision, by=by)
        locked.status = AppealStatus.OVERTURNED if grant else AppealStatus.UPHELD
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.answer = answer
        locked.save(update_fields=["status", "decided_at", "decided_by", "answer"])
        record(
            ActionKind.APPEAL_OVERTURNED if grant else ActionKind.APPEAL_UPHELD,
            by=by,
            user=locked.user,
            comment=locked.decision.comment,
            reason_code=locked.decision.action,
            note=answer,
        )
        notices.after_commit(notices.tell_of_appeal_decision, appeal_id=locked.pk)
    return locked


def _undo(decision: ModerationAction, *, by: User) -> None:
    """Undo what the appealed decision did, if it is still in force (another
    moderator may have restored the comment or lifted the sanction)."""
    comment = decision.comment
    if decision.action in REMOVAL and comment is not None:
        if comment.status == CommentStatus.REMOVED:
            restore_comment(comment, by=by)
        return
    sanction = getattr(decision, "sanction", None)
    if sanction is not None and decision.user is not None:
        lift_sanctions(decision.user, by=by, only=sanction, note=_("Appeal granted."))
