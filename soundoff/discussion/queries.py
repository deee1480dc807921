"""Reads of a discussion: a page of a thread, and counts.

A thread page costs two indexed queries whatever the thread's size: one
for a page of top-level comments (keyset pagination, never OFFSET), one
for all replies under those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q

from .models import Comment, CommentStatus, Thread


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)

    @property
    def is_placeholder(self) -> bool:
        return not self.comment.is_visible

    def has_visible(self) -> bool:
        return self.comment.is_visible or any(reply.has_visible() for reply in self.replies)


@dataclass(frozen=True)
class Cursor:
    """A position in the oldest-first order: after (created_at, id)."""

    created_at: datetime
    comment_id: int

    def encode(self) -> str:
        micros = int(self.created_at.timestamp() * 1_000_000)
        return f"{micros}.{self.comment_id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        """Parse a cursor from a URL; anything malformed means "the start"."""
        if not raw:
            return None
        micros, _, comment_id = raw.partition(".")
        if not (micros.isdigit() and comment_id.isdigit()) or len(raw) > 40:
            return None
        try:
            moment = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return cls(created_at=moment, comment_id=int(comment_id))


@dataclass(frozen=True)
class ThreadPage:
    nodes: list[CommentNode]
    next_cursor: Cursor | None
    is_first: bool


def thread_page(
    thread: Thread, *, after: Cursor | None = None, limit: int | None = None
) -> ThreadPage:
    limit = limit or settings.SOUNDOFF_COMMENTS_PER_PAGE
    shown = CommentStatus.shown_in_thread()
    top_level = Comment.objects.filter(thread=thread, depth=0, status__in=shown)
    if after is not None:
        top_level = top_level.filter(
            Q(created_at__gt=after.created_at)
            | Q(created_at=after.created_at, id__gt=after.comment_id)
        )
    roots = list(top_level.select_related("author").order_by("created_at", "id")[: limit + 1])
    has_more = len(roots) > limit
    roots = roots[:limit]
    replies = Comment.objects.filter(root__in=[root.pk for root in roots], status__in=shown)
    nodes = _assemble(roots, list(replies.select_related("author").order_by("created_at", "id")))
    last = roots[-1] if roots else None
    return ThreadPage(
        nodes=[node for node in nodes if node.has_visible()],
        next_cursor=Cursor(last.created_at, last.pk) if has_more and last else None,
        is_first=after is None,
    )


def _assemble(roots: list[Comment], replies: list[Comment]) -> list[CommentNode]:
    by_id = {root.pk: CommentNode(root) for root in roots}
    top = list(by_id.values())
    for reply in replies:
        node = CommentNode(reply)
        by_id[reply.pk] = node
        parent = by_id.get(reply.parent_id) if reply.parent_id else None
        if parent is not None:
            parent.replies.append(node)
    for node in list(by_id.values()):
        node.replies = [reply for reply in node.replies if reply.has_visible()]
    return top


def page_cursor_for(comment: Comment) -> Cursor | None:
    """The cursor of a page that shows ``comment``; None for the first page.

    Used by permalinks: a comment past the first page is linked to a page
    starting at its top-level ancestor.
    """
    root = comment.root or comment
    limit = settings.SOUNDOFF_COMMENTS_PER_PAGE
    earlier = list(
        Comment.objects.filter(
            thread_id=root.thread_id, depth=0, status__in=CommentStatus.shown_in_thread()
        )
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk))
        .order_by("-created_at", "-id")
        .values_list("created_at", "id")[:limit]
    )
    if len(earlier) < limit:
        return None
    created_at, comment_id = earlier[0]
    return Cursor(created_at, comment_id)
