"""The moderators' queues: one function per queue, each a QuerySet."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from soundoff.discussion.models import Comment, CommentStatus

from .models import ActionKind, Appeal, AppealStatus, Flag, ModerationAction

COMMENT_QUEUES = ("reported", "withheld", "recent")


def _with_context(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """What a queue item shows: post, parent, replies count, flags."""
    return (
        comments.select_related("author", "thread__post", "parent__author")
        .annotate(reply_count=Count("replies", filter=Q(replies__status=CommentStatus.VISIBLE)))
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.select_related("reporter", "rule").order_by("-created_at"),
            )
        )
    )


def reported() -> QuerySet[Comment]:
    """Visible comments with open flags, the most-flagged first."""
    return _with_context(
        Comment.objects.visible().filter(open_flags__gt=0).order_by("-open_flags", "-created_at")
    )


def withheld() -> QuerySet[Comment]:
    """Held by a check, a score, reports or pre-moderation; oldest first,
    since those readers have waited longest."""
    return _with_context(
        Comment.objects.filter(status=CommentStatus.HELD).order_by("created_at", "id")
    )


def recent() -> QuerySet[Comment]:
    """Visible comments no moderator has looked at yet, newest first."""
    return _with_context(
        Comment.objects.visible().filter(reviewed_at__isnull=True).order_by("-created_at", "-id")
    )


def decided() -> QuerySet[ModerationAction]:
    """The history of decisions on comments, newest first (readers'
    reports and appeals are in the log, but decide nothing)."""
    return (
        ModerationAction.objects.filter(comment__isnull=False)
        .exclude(action__in=[ActionKind.REPORTED, ActionKind.APPEALED])
        .select_related("actor", "rule", "comment__author", "comment__thread__post")
    )


def counts() -> dict[str, int]:
    """How many wait in each queue, for the tabs; two queries."""
    totals = Comment.objects.aggregate(
        reported=Count("pk", filter=Q(status=CommentStatus.VISIBLE, open_flags__gt=0)),
        withheld=Count("pk", filter=Q(status=CommentStatus.HELD)),
        recent=Count("pk", filter=Q(status=CommentStatus.VISIBLE, reviewed_at__isnull=True)),
    )
    counted = {name: totals.get(name) or 0 for name in ("reported", "withheld", "recent")}
    counted["appeals"] = Appeal.objects.filter(status=AppealStatus.OPEN).count()
    return counted


def appeals() -> QuerySet[Appeal]:
    """Open appeals, oldest first: those readers have waited longest."""
    return Appeal.objects.filter(status=AppealStatus.OPEN).select_related(
        "user", "decision__actor", "decision__rule", "decision__comment__thread__post"
    )
