"""Readers' search over published posts: headline, byline, body and the
post's updates and corrections, ranked by the database's own full-text
engine (see soundoff.lib.fulltext and migration 0004_post_search)."""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from soundoff.lib.fulltext import NoHits, Ranked, fts5_ranked, tsquery_ranked, words

from .models import Post, PostUpdate

# A headline match weighs most, then the byline, then the body and updates.
# On PostgreSQL these are the expressions migration 0004 indexes: change both
# together.
POST_DOCUMENT = (
    SearchVector("headline", weight="A", config="simple")
    + SearchVector("byline", weight="B", config="simple")
    + SearchVector("body", weight="C", config="simple")
)
UPDATE_DOCUMENT = SearchVector("text", config="simple")
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
        return _postgresql(terms)
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


def _postgresql(terms: list[str]) -> Ranked[Post]:
    # Every word, each in the post or in one of its updates: the same rows
    # FTS5 finds in its one row per post. Each test is one the GIN indexes
    # answer.
    found = Q()
    for term in terms:
        query = SearchQuery(term, config="simple", search_type="plain")
        in_updates = PostUpdate.objects.annotate(document=UPDATE_DOCUMENT).filter(
            post=OuterRef("pk"), document=query
        )
        found &= Q(document=query) | Q(Exists(in_updates))
    matches = Post.objects.published().annotate(document=POST_DOCUMENT).filter(found)
    any_word = reduce(
        operator.or_, (SearchQuery(term, config="simple", search_type="plain") for term in terms)
    )
    updates_text = (
        PostUpdate.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(text=StringAgg("text", delimiter=Value("\n")))
        .values("text")
    )
    return tsquery_ranked(
        matches.select_related("thread", "category"),
        any_word,
        document=POST_DOCUMENT,
        title="headline",
        snippet=Concat(
            "body",
            Value("\n"),
            Coalesce(Subquery(updates_text), Value(""), output_field=TextField()),
            output_field=TextField(),
        ),
        snippet_words=SNIPPET_WORDS,
        then_by=["-published_at", "-id"],
    )
