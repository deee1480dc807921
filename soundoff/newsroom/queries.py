"""Readers' search over published posts: headline, byline, body and the
post's updates and corrections, ranked by the database's own full-text
engine (see soundoff.lib.fulltext and migration 0004_post_search)."""

from __future__ import annotations

from django.db import connection

from soundoff.lib.fulltext import NoHits, Ranked, fts5_ranked, words

from .models import Post

# FTS5's bm25 weights of the columns headline, byline, body, updates.
FTS5_WEIGHTS = "10.0, 4.0, 1.0, 1.0"
SNIPPET_WORDS = 30


def search_posts(query: str) -> Ranked[Post]:
    """Published posts with every word of ``query``, best first; a query
    with no words finds nothing."""
    terms = words(query)
    if not terms:
        return NoHits()
    if connection.vendor == "postgresql":
        # Imported here: django.contrib.postgres brings psycopg (~14 MB in
        # every process), which a site on SQLite never needs.
        from .search_postgresql import search_posts as search_on_postgresql

        return search_on_postgresql(terms, snippet_words=SNIPPET_WORDS)
    return _sqlite(terms)


def _sqlite(terms: list[str]) -> Ranked[Post]:
    return fts5_ranked(
        "newsroom_post_fts",
        Post.objects.published().select_related("thread", "category"),
        terms,
        weights=FTS5_WEIGHTS,
        title_column=0,
        snippet_columns=(2, 3),
        snippet_words=SNIPPET_WORDS,
    )
