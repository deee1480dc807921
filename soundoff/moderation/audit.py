"""Writing the moderation log: one row per decision, person or system."""

from __future__ import annotations

from typing import TYPE_CHECKING

from soundoff.lib.ratelimit import Rate, hit

from .models import ActionKind, ModerationAction

if TYPE_CHECKING:
    from soundoff.accounts.models import ConductRule, User
    from soundoff.discussion.models import Comment, Thread


def record(
    action: ActionKind,
    *,
    by: User | None,
    comment: Comment | None = None,
    user: User | None = None,
    thread: Thread | None = None,
    status_before: str = "",
    status_after: str = "",
    rule: ConductRule | None = None,
    reason_code: str = "",
    note: str = "",
) -> ModerationAction:
    """Append one decision to the log; ``by`` None means the system."""
    if comment is not None and user is None:
        user = comment.author
    return ModerationAction.objects.create(
        action=action,
        actor=by,
        comment=comment,
        user=user,
        thread=thread,
        status_before=status_before,
        status_after=status_after,
        rule=rule,
        reason_code=reason_code,
        note=note,
    )


# Refusals of a reader's own doing, worth a moderator's eye. Empty text and
# a closed discussion are not; limits are, but at most once a minute per
# reader and reason, so that a script hammering the form can't flood the log.
AUDITED_REFUSALS = ("banned_word", "sanctioned", "repeat", "slow_mode", "rate_limited")
THROTTLED_REFUSALS = ("slow_mode", "rate_limited")
REFUSAL_LOG_RATE = Rate(limit=1, window=60)


def record_refusal(*, author: User, thread: Thread | None, reason: str, detail: str) -> None:
    """Log a comment the pipeline refused: who, where and why (the reader's
    text is not kept: it was never published, and the reader still has it).

    Written outside any transaction the refusal rolls back."""
    if reason not in AUDITED_REFUSALS:
        return
    if reason in THROTTLED_REFUSALS and not (
        hit(f"audit:refused:{author.pk}:{reason}", REFUSAL_LOG_RATE).allowed
    ):
        return
    record(
        ActionKind.REFUSED, by=None, user=author, thread=thread, reason_code=reason, note=detail
    )
