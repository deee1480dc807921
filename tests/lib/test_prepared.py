"""soundoff.lib.prepared: SQL the ORM writes once, rows converted as the ORM would."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion.models import Thread
from soundoff.lib.prepared import PreparedRead
from soundoff.newsroom.models import Post


def _thread_row() -> PreparedRead:
    return PreparedRead(
        lambda thread_id: Thread.objects.filter(pk=thread_id).values_list(
            "version", "changed_at", "post__slug"
        ),
        thread_id=918_273_645,
    )


def test_it_reads_the_row_for_the_values_given(thread):
    row = _thread_row().first(thread_id=thread.pk)

    assert row == [thread.version, thread.changed_at, thread.post.slug]
    assert isinstance(row[1], datetime)
    assert row[1].tzinfo is not None  # converted as the ORM converts it


def test_it_answers_none_without_a_row(thread):
    assert _thread_row().first(thread_id=thread.pk + 1000) is None


def test_an_integer_no_column_holds_finds_nothing(thread):
    assert _thread_row().first(thread_id=2**70) is None


def test_it_is_one_query_and_the_orm_writes_it_once(thread):
    built = []

    def build(thread_id):
        built.append(thread_id)
        return Thread.objects.filter(pk=thread_id).values_list("version")

    read = PreparedRead(build, thread_id=918_273_645)
    read.first(thread_id=thread.pk)
    Thread.objects.filter(pk=thread.pk).update(version=41)

    with CaptureQueriesContext(connection) as queries:
        again = read.first(thread_id=thread.pk)

    assert again == [41]
    assert len(queries) == 1
    assert built == [918_273_645]


def test_a_string_value_takes_the_stand_ins_place(post):
    read = PreparedRead(
        lambda slug: Post.objects.filter(slug=slug).values_list("pk"), slug="stand-in-slug"
    )

    assert read.first(slug=post.slug) == [post.pk]
    assert read.first(slug="stand-in-slug") is None


def test_a_stand_in_that_other_parameters_share_is_refused(post):
    read = PreparedRead(
        lambda slug: Post.objects.filter(slug=slug, headline=slug).values_list("pk"),
        slug="same",
    )

    with pytest.raises(ValueError, match="give it a value no other parameter has"):
        read.first(slug=post.slug)
