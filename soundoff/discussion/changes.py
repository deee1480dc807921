"""How a change to a comment reaches its thread and its live readers.

Every change of one comment's status or of its place among the featured
goes through here, whoever makes it: the reader's own services in this app,
and moderation's decisions, which call these. So the thread's visible count
and version (and with them every cached page) can't drift from the
comments, and live readers hear of each change once it is committed. (An
account's deletion changes a reader's comments in bulk, one update per
thread, and announces each through ``announce``.) This module imports
nothing from moderation: moderation depends on the discussion, not the
other way round.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from .models import Comment, CommentStatus, Thread
from .signals import comment_changed


def apply_status(
    comment: Comment, status: CommentStatus, *, also: list[str] | None = None
) -> None:
    """Change a locked comment's status (saving ``also``, the caller's
    other changed fields, in the same write), keeping its thread's visible
    count and version right, in the caller's transaction."""
    was_visible = comment.is_visible
    comment.status = status
    comment.save(update_fields=["status", *(also or [])])
    thread_changed(comment.thread_id, count_delta=int(comment.is_visible) - int(was_visible))
    announce(comment, "status")


def apply_featured(comment: Comment, featured: bool, *, also: list[str] | None = None) -> None:
    """Feature a locked comment or stop featuring it, as ``apply_status``
    changes its status: one write, the thread's version, one announcement."""
    comment.featured = featured
    comment.save(update_fields=["featured", *(also or [])])
    thread_changed(comment.thread_id, count_delta=0)
    announce(comment, "featured")


def thread_changed(thread_id: int, *, count_delta: int) -> None:
    """Bump the thread's version (invalidating cached pages) and keep its
    visible-comment count, in the caller's transaction."""
    Thread.objects.filter(pk=thread_id).changed(count_delta=count_delta)


def announce(comment: Comment, change: str) -> None:
    """Tell receivers (live updates) about the change once it is committed."""
    send_after_commit(comment_changed, comment, change=change)


def send_after_commit(signal: Signal, comment: Comment, **details: str) -> None:
    """Send ``signal`` about ``comment`` (its id, its thread's and its
    parent's) once the caller's transaction commits: receivers never hear of
    a write that is rolled back, and never slow or veto one."""
    transaction.on_commit(
        partial(
            signal.send,
            sender=Comment,
            comment_id=comment.pk,
            thread_id=comment.thread_id,
            parent_id=comment.parent_id,
            **details,
        )
    )
