"""Reads of a discussion: a page of a thread, windows of replies, counts.

A thread page costs three indexed queries whatever the thread's size: a
page of top-level comments (keyset pagination in the chosen order, never
OFFSET), the first few replies under each of them with how many replies
each has (two window functions), and their authors by primary key
(discussion.rows). The first two are written by the ORM
once per shape of page (soundoff.lib.prepared). Further replies come a
window at a time. Pages are built from rows of the columns they show
(discussion.rows), not from a model per comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from itertools import chain
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from soundoff.lib.prepared import PreparedRead

from .models import Comment, CommentQuerySet, Reaction, Thread
from .rows import AuthorRow, CommentRow, authors_of, listing, row_of, rows_of

CURSOR_SALT = "soundoff.discussion.cursor"


class Sort(StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    REACTIONS = "reactions"


class InvalidCursor(ValueError):
    """A cursor that was not made by us (edited, truncated, or for another list)."""


@dataclass
class CommentNode:
    # A row in the listings; the model where one comment is in hand (a
    # live event, a reaction's answer): both have the same rules.
    comment: CommentRow | Comment
    replies: list[CommentNode] = field(default_factory=list)
    more_replies: int = 0

    @property
    def is_placeholder(self) -> bool:
        # Nodes are what every reader sees (the page, its cache, live
        # events): anything the public may not read is at most a placeholder.
        return not self.comment.is_visible_to(None)

    def has_visible(self) -> bool:
        return self.comment.is_visible or any(reply.has_visible() for reply in self.replies)


@dataclass(frozen=True)
class ThreadPage:
    nodes: list[CommentNode]
    next_cursor: str | None
    sort: Sort
    is_first: bool


@dataclass(frozen=True)
class RepliesPage:
    nodes: list[CommentNode]
    next_cursor: str | None


def _order(sort: Sort) -> list[Any]:
    if sort is Sort.NEWEST:
        return ["-created_at", "-id"]
    if sort is Sort.REACTIONS:
        return ["-reaction_count", "-created_at", "-id"]
    return ["created_at", "id"]


def _position(comment: CommentRow | Comment, sort: Sort) -> list[Any]:
    if sort is Sort.REACTIONS:
        return [comment.reaction_count, comment.created_at.isoformat(), comment.pk]
    return [comment.created_at.isoformat(), comment.pk]


def _after(sort: Sort, position: list[Any]) -> Q:
    """Rows strictly after ``position`` in ``sort`` order (a keyset)."""
    return _after_keys(sort, **_keys(sort, position))


def _keys(sort: Sort, position: list[Any]) -> dict[str, Any]:
    """A cursor's position as the typed values of its sort's columns."""
    try:
        if sort is Sort.REACTIONS:
            return {
                "reactions": int(position[0]),
                "created": datetime.fromisoformat(position[1]),
                "pk": int(position[2]),
            }
        return {"created": datetime.fromisoformat(position[0]), "pk": int(position[1])}
    except (IndexError, TypeError, ValueError):
        raise InvalidCursor(_("That cursor is malformed.")) from None


def _after_keys(sort: Sort, *, created: datetime, pk: int, reactions: int = 0) -> Q:
    """Each keyset starts with a plain range on its first column, which the
    OR that follows only narrows: PostgreSQL reads an OR of rows as a
    filter, and without the range walked the thread's earlier comments
    for every later page (tests/discussion/test_query_plans.py)."""
    if sort is Sort.REACTIONS:
        return Q(reaction_count__lte=reactions) & (
            Q(reaction_count__lt=reactions)
            | Q(reaction_count=reactions, created_at__lt=created)
            | Q(reaction_count=reactions, created_at=created, id__lt=pk)
        )
    if sort is Sort.NEWEST:
        return Q(created_at__lte=created) & (
            Q(created_at__lt=created) | Q(created_at=created, id__lt=pk)
        )
    return Q(created_at__gte=created) & (
        Q(created_at__gt=created) | Q(created_at=created, id__gt=pk)
    )


def encode_cursor(kind: str, sort: Sort, position: list[Any]) -> str:
    return signing.dumps([kind, sort.value, position], salt=CURSOR_SALT, compress=True)


def decode_cursor(raw: str, *, kind: str, sort: Sort) -> list[Any]:
    """The position a cursor points at; InvalidCursor if it was tampered with
    or belongs to another list or order."""
    try:
        made_for, made_sort, position = signing.loads(raw, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidCursor(
            _("That cursor is not valid. Start again from the first page.")
        ) from None
    if made_for != kind or made_sort != sort.value or not isinstance(position, list):
        raise InvalidCursor(
            _("That cursor belongs to another list. Start again from the first page.")
        )
    return position


def _shown(comments: CommentQuerySet) -> CommentQuerySet:
    """A thread's comments as every reader sees them (the listings are
    shared and cached, so they are built for the public: no viewer)."""
    return comments.known_to(None)


def find_comment(comment_id: int, *, viewer: Any) -> Comment | None:
    """The comment with this id as ``viewer`` may know it (in full, or as a
    placeholder: see Comment.is_visible_to), in a discussion readers may
    see; None for everything else, so that a held comment's id tells a
    stranger nothing, not even that it exists."""
    comment = (
        Comment.objects.select_related("author", "thread__post").filter(pk=comment_id).first()
    )
    # Decided on the row in hand, so that a visible comment costs no
    # look-up of the viewer's permissions.
    if comment is None or not comment.is_known_to(viewer) or not comment.thread.is_public:
        return None
    return comment


def thread_page(
    thread: Thread,
    *,
    sort: Sort = Sort.OLDEST,
    cursor: str | None = None,
    limit: int | None = None,
    reply_window: int | None = None,
) -> ThreadPage:
    limit = limit or settings.SOUNDOFF_COMMENTS_PER_PAGE
    window = settings.SOUNDOFF_REPLY_WINDOW if reply_window is None else reply_window
    keys: dict[str, Any] = {"thread_id": thread.pk}
    if cursor:
        keys |= _keys(sort, decode_cursor(cursor, kind=f"t{thread.pk}", sort=sort))
    roots_read, replies_read = _page_reads(sort, bool(cursor), limit, window)
    listed = roots_read.all(**keys)
    replies = replies_read.all(**keys) if listed and window > 0 else []
    authors = authors_of(chain(listed, replies))
    roots = [row_of(columns, authors) for columns in listed]
    has_more = len(roots) > limit
    roots = roots[:limit]
    nodes = _with_reply_windows(roots, replies, authors)
    return ThreadPage(
        nodes=[node for node in nodes if node.has_visible()],
        next_cursor=encode_cursor(f"t{thread.pk}", sort, _position(roots[-1], sort))
        if has_more
        else None,
        sort=sort,
        is_first=cursor is None,
    )


# Stand-ins no thread, comment or count has: the prepared reads find where
# each real value goes by them (soundoff.lib.prepared).
_STAND_INS: dict[str, Any] = {
    "thread_id": 918_273_645,
    "reactions": 918_273_646,
    "pk": 918_273_647,
    "created": datetime(1987, 6, 5, 4, 3, 2, 10203, tzinfo=UTC),
}


@cache
def _page_reads(
    sort: Sort, from_cursor: bool, limit: int, window: int
) -> tuple[PreparedRead, PreparedRead]:
    """A page's two reads, written by the ORM once per shape: its top-level
    comments (one more than the page, to know whether another follows),
    and the first ``window`` replies under each of them with how many
    there are in all. Building and compiling these through the ORM cost
    more than everything else a cold page does (bench/RESULTS.md)."""
    keys = ["reactions", "created", "pk"] if sort is Sort.REACTIONS else ["created", "pk"]
    stand_ins = {name: _STAND_INS[name] for name in ["thread_id", *(keys if from_cursor else [])]}

    def top_level(thread_id: int, **position: Any) -> CommentQuerySet:
        top = _shown(Comment.objects.filter(thread_id=thread_id, depth=0))
        if position:
            top = top.filter(_after_keys(sort, **position))
        return top.order_by(*_order(sort))

    def roots(**values: Any) -> QuerySet[Any, Any]:
        return listing(top_level(**values))[: limit + 1]

    def replies(**values: Any) -> QuerySet[Any, Any]:
        under = top_level(**values).values("pk")[: limit + 1]
        return (
            listing(_shown(Comment.objects.filter(root__in=under)))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("root_id"),
                    order_by=[F("created_at").asc(), F("id").asc()],
                ),
                replies=Window(Count("id"), partition_by=F("root_id")),
            )
            .filter(rank__lte=window)
            .order_by("created_at", "id")
        )

    return PreparedRead(roots, **stand_ins), PreparedRead(replies, **stand_ins)


def replies_page(
    root: Comment, *, cursor: str | None = None, limit: int | None = None
) -> RepliesPage:
    """The next window of replies under a top-level comment, oldest first."""
    limit = limit or settings.SOUNDOFF_COMMENTS_PER_PAGE
    replies = _shown(Comment.objects.filter(root=root))
    if cursor:
        replies = replies.filter(
            _after(Sort.OLDEST, decode_cursor(cursor, kind=f"r{root.pk}", sort=Sort.OLDEST))
        )
    rows = rows_of(listing(replies).order_by("created_at", "id")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    nodes = _tree(rows, parents={})
    return RepliesPage(
        nodes=nodes,
        next_cursor=encode_cursor(f"r{root.pk}", Sort.OLDEST, _position(rows[-1], Sort.OLDEST))
        if has_more
        else None,
    )


def _with_reply_windows(
    roots: list[CommentRow], replies: list[list[Any]], authors: dict[int, AuthorRow]
) -> list[CommentNode]:
    """Attach the replies read under each root (its first few, each row
    ending with how many replies the root has in all), and how many more."""
    by_root = {root.pk: CommentNode(root) for root in roots}
    totals: dict[int, int] = {}
    parents: dict[int, CommentNode] = dict(by_root)
    for columns in replies:
        reply = row_of(columns, authors)
        # The read takes one root past the page; its replies stay out.
        if reply.root_id not in by_root:
            continue
        totals[reply.root_id] = columns[-1]
        node = CommentNode(reply)
        parents[reply.pk] = node
        parent = parents.get(reply.parent_id or 0) or by_root.get(reply.root_id or 0)
        if parent is not None:
            parent.replies.append(node)
    for root_id, node in by_root.items():
        node.more_replies = totals.get(root_id, 0) - _count(node) + 1
    _prune(list(by_root.values()))
    return list(by_root.values())


def _tree(rows: list[CommentRow], parents: dict[int, CommentNode]) -> list[CommentNode]:
    top: list[CommentNode] = []
    for row in rows:
        node = CommentNode(row)
        parents[row.pk] = node
        parent = parents.get(row.parent_id or 0)
        (parent.replies if parent else top).append(node)
    _prune(top)
    return [node for node in top if node.has_visible()]


def _count(node: CommentNode) -> int:
    return 1 + sum(_count(reply) for reply in node.replies)


def _prune(nodes: list[CommentNode]) -> None:
    """Placeholders (deleted, removed) stay only where visible replies hang."""
    for node in nodes:
        _prune(node.replies)
        node.replies = [reply for reply in node.replies if reply.has_visible()]


def reactions_by(reader: Any, nodes: Iterable[CommentNode]) -> dict[int, set[str]]:
    """The kinds of reaction ``reader`` gave each comment of these nodes
    (replies included), in one query: the only per-reader part of a page
    whose comments are the same for every reader."""
    mine: dict[int, set[str]] = {}
    if reader is None or not reader.is_authenticated:
        return mine
    ids: list[int] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        ids.append(node.comment.pk)
        stack.extend(node.replies)
    if not ids:
        return mine
    rows = Reaction.objects.filter(user_id=reader.pk, comment_id__in=ids)
    for comment_id, kind in rows.values_list("comment_id", "kind"):
        mine.setdefault(comment_id, set()).add(kind)
    return mine


def page_cursor_for(comment: Comment) -> str | None:
    """A cursor of a page that shows ``comment``; None for the first page.

    Used by permalinks: a comment past the first page is linked to a page
    starting at its top-level ancestor.
    """
    root = comment.root or comment
    limit = settings.SOUNDOFF_COMMENTS_PER_PAGE
    earlier = _earlier_roots(limit).all(
        thread_id=root.thread_id, created=root.created_at, pk=root.pk
    )
    if len(earlier) < limit:
        return None
    first = Comment.from_db(None, ["id", "created_at"], earlier[0])
    return encode_cursor(f"t{root.thread_id}", Sort.OLDEST, _position(first, Sort.OLDEST))


@cache
def _earlier_roots(limit: int) -> PreparedRead:
    """The keys of the ``limit`` top-level comments before one, newest
    first: every comment posted from the page asks, for the page it is on
    (its redirect), so the SQL is written once (soundoff.lib.prepared)."""
    return PreparedRead(
        lambda thread_id, created, pk: (
            Comment.objects.filter(thread_id=thread_id, depth=0)
            .known_to(None)
            .filter(_after_keys(Sort.NEWEST, created=created, pk=pk))
            .order_by("-created_at", "-id")
            .values_list("id", "created_at")[:limit]
        ),
        thread_id=918_273_645,
        created=datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
        pk=918_273_646,
    )
