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
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet

from soundoff.accounts.models import avatar_url

from .models import CommentQuerySet, CommentRules

# The columns a listed comment shows, its author's included (one join).
COLUMNS = (
    "id",
    "thread_id",
    "parent_id",
    "root_id",
    "depth",
    "status",
    "author_id",
    "author__display_name",
    "author__avatar_digest",
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

    def avatar_url(self, size: int = 96) -> str:
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
    return [row_of(_in_order(row)) for row in values]


_in_order = itemgetter(*COLUMNS)


def row_of(columns: Sequence[Any]) -> CommentRow:
    """The row of a comment from its COLUMNS, in their order (the first
    columns of a listing's prepared read)."""
    (
        pk,
        thread_id,
        parent_id,
        root_id,
        depth,
        status,
        author_id,
        display_name,
        avatar_digest,
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
        author=AuthorRow(pk=author_id, display_name=display_name, avatar_digest=avatar_digest),
        body_html=body_html,
        created_at=created_at,
        edited_at=edited_at,
        reaction_count=reaction_count,
        featured=featured,
    )
