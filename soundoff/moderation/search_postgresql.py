"""Moderators' search over comments on PostgreSQL: a tsvector document on
the GIN index of migration 0003_comment_search. moderation.queries imports
it only on PostgreSQL (django.contrib.postgres brings psycopg), and passes
in what it shares with the SQLite search, so this module needs nothing
back from it."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import QuerySet

from soundoff.discussion.models import Comment
from soundoff.lib.fulltext import Ranked, tsquery_ranked

# Migration 0003_comment_search indexes this very expression.
COMMENT_DOCUMENT = SearchVector("body", config="simple")


def search_comments(
    comments: QuerySet[Comment], terms: list[str], *, snippet_words: int
) -> Ranked[Comment]:
    """search_comments (moderation.queries) on PostgreSQL, over ``comments``,
    for ``terms`` already reduced to plain words."""
    query = SearchQuery(" ".join(terms), config="simple", search_type="plain")
    return tsquery_ranked(
        comments.annotate(document=COMMENT_DOCUMENT).filter(document=query),
        query,
        document=COMMENT_DOCUMENT,
        title=None,
        snippet="body",
        snippet_words=snippet_words,
        then_by=["-id"],
    )
