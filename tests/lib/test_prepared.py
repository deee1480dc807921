"""soundoff.lib.prepared: SQL the ORM writes once, rows converted as the ORM would."""

import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion.models import Comment, Thread
from soundoff.lib.prepared import PreparedInstance, PreparedRead
from soundoff.newsroom.models import Post
from testkit.cast import make_comment


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


def test_a_stand_in_used_twice_takes_the_value_in_both_places(post, thread):
    read = PreparedRead(
        lambda slug: Post.objects.filter(slug=slug, headline__lt=slug + "~").values_list("pk"),
        slug="stand-in-slug",
    )

    assert read.first(slug=post.slug) == [post.pk]
    assert read.first(slug="not-" + post.slug) is None


def test_a_stand_in_missing_from_the_parameters_is_refused(post):
    read = PreparedRead(lambda slug: Post.objects.filter(pk=1).values_list("pk"), slug="gone")

    with pytest.raises(ValueError, match="give it a value no other parameter has"):
        read.first(slug=post.slug)


def test_all_reads_every_row_and_a_datetime_takes_its_place(thread, alice):
    comments = [make_comment(thread, alice, f"Comment {n}") for n in range(3)]
    read = PreparedRead(
        lambda thread_id, after: (
            Comment.objects.filter(thread_id=thread_id, created_at__gt=after)
            .order_by("created_at", "id")
            .values_list("pk", "created_at")
        ),
        thread_id=918_273_645,
        after=datetime(1987, 6, 5, 4, 3, 2, 10203, tzinfo=UTC),
    )

    rows = read.all(thread_id=thread.pk, after=comments[0].created_at)

    assert rows == [[c.pk, c.created_at] for c in comments[1:]]
    assert read.all(thread_id=thread.pk, after=comments[-1].created_at) == []


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2011, 7, 13, 21, 58, tzinfo=UTC),
        datetime(2011, 7, 13, 21, 58, 7, 120034, tzinfo=UTC),
        None,
    ],
)
def test_its_datetimes_are_the_orms(thread, alice, moment):
    """Converted by the read's own datetime converter on SQLite: the same
    values as the ORM's, microseconds, zone and nothing included."""
    comment = make_comment(thread, alice, created_at=datetime(1999, 1, 2, 3, 4, 5, tzinfo=UTC))
    Comment.objects.filter(pk=comment.pk).update(edited_at=moment)
    read = PreparedRead(
        lambda pk: Comment.objects.filter(pk=pk).values_list("created_at", "edited_at"),
        pk=918_273_645,
    )

    row = read.first(pk=comment.pk)

    expected = Comment.objects.filter(pk=comment.pk).values_list("created_at", "edited_at")
    assert row == list(expected.get())
    assert [repr(value) for value in row] == [repr(value) for value in expected.get()]


def test_a_uuid_takes_its_place_as_the_orm_adapts_it(thread, alice):
    key = uuid.uuid4()
    comment = make_comment(thread, alice, "Keyed.")
    Comment.objects.filter(pk=comment.pk).update(submission_key=key)
    read = PreparedRead(
        lambda key: Comment.objects.filter(submission_key=key).values_list("pk"),
        key=uuid.UUID(int=918_273_645),
    )

    assert read.first(key=key) == [comment.pk]
    assert read.first(key=uuid.uuid4()) is None


def _thread_and_post() -> PreparedInstance:
    return PreparedInstance(
        Thread,
        lambda thread_id: Thread.objects.filter(pk=thread_id),
        related="post",
        thread_id=918_273_645,
    )


def test_an_instance_is_read_whole_with_its_related_one_cached(thread, django_assert_num_queries):
    expected = Thread.objects.select_related("post").get(pk=thread.pk)

    with django_assert_num_queries(1):
        found = _thread_and_post().first(thread_id=thread.pk)
        assert found.post == expected.post
        assert found.post.thread is found  # both sides, as select_related caches them

    assert [getattr(found, f.attname) for f in Thread._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in Thread._meta.concrete_fields
    ]
    assert [getattr(found.post, f.attname) for f in Post._meta.concrete_fields] == [
        getattr(expected.post, f.attname) for f in Post._meta.concrete_fields
    ]
    assert not found._state.adding


def test_a_missing_related_one_is_cached_as_none(django_assert_num_queries, db):
    outside = Thread.objects.create(page_url="https://example.org/page")

    with django_assert_num_queries(1):
        found = _thread_and_post().first(thread_id=outside.pk)
        assert found.post is None
    assert _thread_and_post().first(thread_id=outside.pk + 1000) is None


def test_the_reverse_side_of_a_one_to_one_is_read_too(post, django_assert_num_queries):
    read = PreparedInstance(
        Post, lambda slug: Post.objects.filter(slug=slug), related="thread", slug="stand-in-slug"
    )

    with django_assert_num_queries(1):
        found = read.first(slug=post.slug)
        assert found.thread.pk == post.thread.pk
        assert found.thread.post is found
