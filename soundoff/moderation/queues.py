"""The moderators' queues: one function per queue, each a QuerySet, each
narrowed to one story when given its thread."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from soundoff.discussion.models import Comment, CommentStatus, Thread

from .models import ActionKind, Appeal, AppealStatus, Flag, ModerationAction

COMMENT_QUEUES = ("reported", "withheld", "recent", "approved", "rejected")

# What puts a comment in each queue, as one filter: the queues and their
# counts read the same definition.
WAITING = {
    "reported": Q(status=CommentStatus.VISIBLE, open_flags__gt=0),
    "withheld": Q(status=CommentStatus.HELD),
    "recent": Q(status=CommentStatus.VISIBLE, reviewed_at__isnull=True),
    "approved": Q(status=CommentStatus.VISIBLE, reviewed_at__isnull=False),
    "rejected": Q(status=CommentStatus.REMOVED),
}
ORDER = {
    # The most-flagged first.
    "reported": ("-open_flags", "-created_at"),
    # Oldest first, since those readers have waited longest.
    "withheld": ("created_at", "id"),
    # Newest first.
    "recent": ("-created_at", "-id"),
    # The latest decisions first.
    "approved": ("-reviewed_at", "-id"),
    "rejected": ("-reviewed_at", "-id"),
}


def _with_context(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """What a queue item shows: post, parent, replies count, flags, and the
    decisions taken on it (the latest first: who removed it, citing what)."""
    return (
        comments.select_related("author", "thread__post", "parent__author")
        .annotate(reply_count=Count("replies", filter=Q(replies__status=CommentStatus.VISIBLE)))
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.select_related("reporter", "rule").order_by("-created_at"),
            ),
            Prefetch(
                "moderation_actions",
                queryset=ModerationAction.objects.select_related("actor", "rule"),
                to_attr="decisions",
            ),
        )
    )


def comments_in(name: str, *, thread_id: int | None = None) -> QuerySet[Comment]:
    """The comments of queue ``name`` (one of COMMENT_QUEUES), in its order."""
    comments = Comment.objects.filter(WAITING[name])
    if thread_id is not None:
        comments = comments.filter(thread_id=thread_id)
    return _with_context(comments.order_by(*ORDER[name]))


def decided() -> QuerySet[ModerationAction]:
    """The history of decisions on comments, newest first (readers'
    reports and appeals are in the log, but decide nothing)."""
    return (
        ModerationAction.objects.filter(comment__isnull=False)
        .exclude(action__in=[ActionKind.REPORTED, ActionKind.APPEALED])
        .select_related("actor", "rule", "comment__author", "comment__thread__post")
    )


def counts(*, thread_id: int | None = None) -> dict[str, int]:
    """How many are in each queue, for the tabs; two queries. Appeals are
    about readers as much as stories: their count is never narrowed."""
    comments = Comment.objects.all()
    if thread_id is not None:
        comments = comments.filter(thread_id=thread_id)
    totals = comments.aggregate(
        **{name: Count("pk", filter=WAITING[name]) for name in COMMENT_QUEUES}
    )
    counted = {name: totals.get(name) or 0 for name in COMMENT_QUEUES}
    counted["appeals"] = Appeal.objects.filter(status=AppealStatus.OPEN).count()
    return counted


def stories_with_work(limit: int = 50) -> QuerySet[Thread]:
    """The stories moderators may want to narrow a queue to: those with
    comments waiting (reported, withheld or unreviewed), most first."""
    return (
        Thread.objects.select_related("post")
        .annotate(
            waiting=Count(
                "comments",
                filter=Q(comments__status=CommentStatus.HELD)
                | Q(comments__status=CommentStatus.VISIBLE, comments__open_flags__gt=0)
                | Q(comments__status=CommentStatus.VISIBLE, comments__reviewed_at__isnull=True),
            )
        )
        .filter(waiting__gt=0)
        .order_by("-waiting", "-pk")[:limit]
    )


def appeals() -> QuerySet[Appeal]:
    """Open appeals, oldest first: those readers have waited longest."""
    return Appeal.objects.filter(status=AppealStatus.OPEN).select_related(
        "user", "decision__actor", "decision__rule", "decision__comment__thread__post"
    )
