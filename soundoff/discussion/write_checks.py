"""What must still hold, under the write lock, for a comment's early checks
to stand (discussion.services checks a comment before its write
transaction, so that other writers wait for the inserts alone)."""

from __future__ import annotations

from django.db.models import Exists, Q

from soundoff.moderation.models import Sanction
from soundoff.moderation.pipeline import Submission

from .models import Comment, CommentStatus


def unchanged_since_checked(submission: Submission) -> list[Q | Exists]:
    """What must still hold, when the write lock is held, for the checks'
    verdict to stand; it filters the thread row the write updates anyway,
    so re-checking costs no statement of its own.

    The races that checking before the transaction opens, and how each is
    closed:

    - the discussion was closed, pre-moderated or put in slow mode: its
      policy fields must be as the checks read them;
    - the author was suspended or banned: no sanction may be in force;
    - the author posted meanwhile (the same text twice at once, a second
      comment inside slow mode, or past a new account's first N): no
      comment of theirs newer than those the checks read;
    - the comment replied to was removed or deleted: it must still be shown.

    A changed word list or a new policy version is not a race: the comment
    is judged by the rules in force when it was checked, as if it had been
    posted a moment earlier. So is a post unpublished in that moment.
    """
    thread, author = submission.thread, submission.author
    recent = submission.recent_comments
    unchanged: list[Q | Exists] = [
        Q(
            mode=thread.mode,
            slow_mode_seconds=thread.slow_mode_seconds,
            close_after_hours=thread.close_after_hours,
        ),
        ~Q(Exists(Sanction.objects.in_force().filter(user=author))),
        ~Q(
            Exists(
                Comment.objects.filter(
                    author=author, created_at__gte=recent.since, pk__gt=recent.newest_id
                )
            )
        ),
    ]
    if submission.parent is not None:
        shown = Comment.objects.filter(pk=submission.parent.pk, status=CommentStatus.VISIBLE)
        unchanged.append(Exists(shown))
    return unchanged
