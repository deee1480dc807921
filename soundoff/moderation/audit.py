"""Writing the moderation log: one row per decision, person or system."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
