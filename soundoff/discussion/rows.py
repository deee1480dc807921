"""Comments as thread listings read them: rows of columns, no model each.

A page of a thread lists up to 50 top-level comments and their first
replies. Building a model instance for each, another for its author, and
reversing their addresses cost more than the queries that read them
(bench/RESULTS.md, point 2). Listings read the columns they show with
``.values()`` into these rows instead. Their rules (who may see the
comment, who may edit it, its address) are the model's own, through
CommentRules, so a row and a model always answer alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet

from soundoff.accounts.models import User, avatar_url
from soundoff.lib.addresses import Addresses
from soundoff.lib.prepared import PreparedRead

from .models import CommentQuerySet, CommentRules

# The columns a listed comment shows. Its author's name and picture come
# from a second read by primary key (authors_of), not a join: joined, a
# PostgreSQL whose statistics predate the comments planned the listings
# from the readers' table through the comments' author index, reading
# every comment of every reader (tests/discussion/test_query_plans.py).
COLUMNS = (
    "id",
    "thread_id",
    "parent_id",
    "root_id",
    "depth",
    "status",
    "author_id",
    "body_html",
    "created_at",
    "edited_at",
    "reaction_count",
    "featured",
)


@dataclass(frozen=True, slots=True)
class AuthorRow:
    pk: int
    display_name: str
    avatar_digest: str
    # The picture's address at the size listings show, worked out once for
    # all of an author's comments on a page.
    picture: str

    @classmethod
    def of(cls, pk: int, display_name: str, avatar_digest: str, addresses: Addresses) -> AuthorRow:
        picture = avatar_url(pk, avatar_digest, display_name, addresses=addresses)
        return cls(pk, display_name, avatar_digest, picture)

    def avatar_url(self, size: int | None = None) -> str:
        if size is None:
            return self.picture
        return avatar_url(self.pk, self.avatar_digest, self.display_name, size)


@dataclass(frozen=True, slots=True)
class CommentRow(CommentRules):
    pk: int
    thread_id: int
    parent_id: int | None
    root_id: int | None
    depth: int
    status: str
    author_id: int
    author: AuthorRow
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    featured: bool


def listing(comments: CommentQuerySet) -> QuerySet[Any, dict[str, Any]]:
    """The columns of these comments that a listing shows."""
    return comments.values(*COLUMNS)


def rows_of(values: Iterable[dict[str, Any]]) -> list[CommentRow]:
    listed = [_in_order(row) for row in values]
    authors = authors_of(listed)
    return [row_of(columns, authors) for columns in listed]


_in_order = itemgetter(*COLUMNS)
_AUTHOR_ID = COLUMNS.index("author_id")


def authors_of(listed: Iterable[Sequence[Any]]) -> dict[int, AuthorRow]:
    """The authors of the comments ``listed`` (rows of COLUMNS first), in
    one read by primary key."""
    ids = sorted({columns[_AUTHOR_ID] for columns in listed})
    if not ids:
        return {}
    found = _authors_read(len(ids)).all(**{f"id{n}": pk for n, pk in enumerate(ids)})
    addresses = Addresses()
    return {pk: AuthorRow.of(pk, name, digest, addresses) for pk, name, digest in found}


@cache
def _authors_read(count: int) -> PreparedRead:
    """The read of ``count`` authors, written by the ORM once per count (a
    page has a few dozen authors at most): building and compiling it cost
    a cold API page a sixth of its work (bench/profile_read.py)."""

    def authors(**ids: int) -> QuerySet[Any, Any]:
        found = User.objects.filter(pk__in=list(ids.values()))
        return found.values_list("pk", "display_name", "avatar_digest")

    # Stand-ins no reader has, one each.
    return PreparedRead(authors, **{f"id{n}": 918_273_645 + n for n in range(count)})


def row_of(columns: Sequence[Any], authors: dict[int, AuthorRow]) -> CommentRow:
    """The row of a comment from its COLUMNS, in their order (the first
    columns of a listing's prepared read), and ``authors`` (authors_of)."""
    (
        pk,
        thread_id,
        parent_id,
        root_id,
        depth,
        status,
        author_id,
        body_html,
        created_at,
        edited_at,
        reaction_count,
        featured,
    ) = columns[: len(COLUMNS)]
    return CommentRow(
        pk=pk,
        thread_id=thread_id,
        parent_id=parent_id,
        root_id=root_id,
        depth=depth,
        status=status,
        author_id=author_id,
        # An author deleted between the two reads took the comment along
        # (comments protect their author): the page is a moment old.
        author=authors.get(author_id) or AuthorRow.of(author_id, "", "", Addresses()),
        body_html=body_html,
        created_at=created_at,
        edited_at=edited_at,
        reaction_count=reaction_count,
        featured=featured,
    )
