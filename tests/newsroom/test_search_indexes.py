"""The searches' filters are the very expressions the migrations index, so
that the engine answers them from its index rather than reading every row."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from soundoff.discussion.models import Comment
from soundoff.moderation.search_postgresql import COMMENT_DOCUMENT
from soundoff.newsroom.models import Post, PostUpdate
from soundoff.newsroom.search_postgresql import POST_DOCUMENT, UPDATE_DOCUMENT

QUERY = SearchQuery("flood", config="simple", search_type="plain")


def _plan(queryset):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches its FTS5 tables, which are the index")
    with connection.cursor() as cursor:
        # With so few rows the planner would rightly scan the table, or walk
        # another index in order (it has statistics: migrate runs ANALYZE);
        # forbid both, so that only an index matching the expression can
        # answer, through a bitmap scan, the only kind GIN offers.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Post.objects.annotate(d=POST_DOCUMENT).filter(d=QUERY), "newsroom_post_search"),
        (
            lambda: PostUpdate.objects.annotate(d=UPDATE_DOCUMENT).filter(d=QUERY),
            "newsroom_postupdate_search",
        ),
        (
            lambda: Comment.objects.annotate(d=COMMENT_DOCUMENT).filter(d=QUERY),
            "discussion_comment_search",
        ),
    ],
)
def test_postgresql_answers_from_the_gin_index(queryset, index):
    assert index in _plan(queryset())
