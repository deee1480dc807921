"""Readers' search over published posts on PostgreSQL: tsvector documents
on the GIN indexes of migration 0004_post_search. newsroom.queries imports
it only on PostgreSQL (django.contrib.postgres brings psycopg), and passes
in what it shares with the SQLite search, so this module needs nothing
back from it."""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, Q, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from soundoff.lib.fulltext import Ranked, tsquery_ranked

from .models import Post, PostUpdate

# A headline match weighs most, then the byline, then the body and updates.
# These are the expressions migration 0004 indexes: change both together.
POST_DOCUMENT = (
    SearchVector("headline", weight="A", config="simple")
    + SearchVector("byline", weight="B", config="simple")
    + SearchVector("body", weight="C", config="simple")
)
UPDATE_DOCUMENT = SearchVector("text", config="simple")


def search_posts(terms: list[str], *, snippet_words: int) -> Ranked[Post]:
    """search_posts (newsroom.queries) on PostgreSQL, for ``terms`` already
    reduced to plain words."""
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
        snippet_words=snippet_words,
        then_by=["-published_at", "-id"],
    )
