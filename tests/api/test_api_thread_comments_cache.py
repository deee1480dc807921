"""GET /api/v1/threads/{id}/comments from one cache entry per thread version,
with ETag and 304, and every change a page shows making a new one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.accounts import services as accounts
from soundoff.accounts.queries import current_rules
from soundoff.discussion import services
from soundoff.discussion.models import ReactionKind
from soundoff.moderation.decisions import remove_comment
from testkit.cast import CLIENT, give_picture, make_post


def _url(thread) -> str:
    return f"/api/v1/threads/{thread.pk}/comments"


@pytest.fixture
def comment(thread, alice):
    result = services.post_comment(thread, author=alice, body="Pipes are fixed.", client=CLIENT)
    return result.comment


def _reads_comments(queries) -> bool:
    return any("discussion_comment" in q["sql"] for q in queries.captured_queries)


def test_a_read_is_public_with_an_etag_and_last_modified(client, thread, comment):
    response = client.get(_url(thread))
    assert response.status_code == 200
    assert response.json()["items"][0]["id"] == comment.pk
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=0" in cache_control
    assert "Origin" in response["Vary"]


def test_a_second_read_comes_from_the_cache_without_reading_comments(client, thread, comment):
    first = client.get(_url(thread))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url(thread))
    assert again.status_code == 200
    assert again.content == first.content
    assert len(queries) == 1  # the thread's version
    assert not _reads_comments(queries)


def test_a_revalidation_answers_304_without_reading_comments(client, thread, comment):
    etag = client.get(_url(thread))["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(thread), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert not _reads_comments(queries)


def test_each_page_and_order_has_its_own_etag(client, thread, comment, bob):
    services.post_comment(thread, author=bob, body="Second.", client=CLIENT)
    etags = {
        client.get(_url(thread), params)["ETag"]
        for params in ({}, {"sort": "newest"}, {"limit": 1}, {"sort": "newest", "limit": 1})
    }
    assert len(etags) == 4
    cursor = client.get(_url(thread), {"limit": 1}).json()["next_cursor"]
    second = client.get(_url(thread), {"limit": 1, "cursor": cursor})
    assert second["ETag"] not in etags
    assert len(second.json()["items"]) == 1


def _changes(client, thread, change) -> tuple[str, str]:
    """The body after ``change``, asked with the ETag from before it."""
    etag = client.get(_url(thread))["ETag"]
    change()
    response = client.get(_url(thread), headers={"If-None-Match": etag})
    assert response.status_code == 200, "the change left the cached page in place"
    assert response["ETag"] != etag
    return response["ETag"], response.content.decode()


def test_a_new_comment_shows_at_once(client, thread, comment, bob):
    _, body = _changes(
        client,
        thread,
        lambda: services.post_comment(thread, author=bob, body="Brand new.", client=CLIENT),
    )
    assert "Brand new." in body


def test_an_edit_shows_at_once(client, thread, comment, alice):
    _, body = _changes(
        client,
        thread,
        lambda: services.edit_comment(comment, by=alice, body="Pipes are mended.", client=CLIENT),
    )
    assert "Pipes are mended." in body and "Pipes are fixed." not in body


def test_a_removal_shows_at_once(client, thread, comment, policies):
    rule = current_rules()[0]
    _, body = _changes(client, thread, lambda: remove_comment(comment, by=None, rule=rule))
    assert "Pipes are fixed." not in body


def test_a_reaction_shows_at_once(client, thread, comment, bob):
    _, body = _changes(
        client,
        thread,
        lambda: services.react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT),
    )
    assert '"reaction_count": 1' in body


def test_a_new_display_name_shows_at_once(client, thread, comment, alice):
    _, body = _changes(
        client, thread, lambda: accounts.change_display_name(alice, display_name="Alice Mended")
    )
    assert "Alice Mended" in body and "Alice Reader" not in body


def test_a_new_or_removed_picture_shows_at_once(client, thread, comment, alice):
    initials = alice.avatar_url()
    _, body = _changes(client, thread, lambda: give_picture(alice))
    pictured = alice.avatar_url()
    assert pictured in body and initials not in body

    _, body = _changes(client, thread, lambda: accounts.remove_avatar(alice))
    assert pictured not in body and alice.avatar_url() in body


def test_a_thread_of_an_unpublished_post_is_not_found_even_once_cached(client, db, error_of):
    post = make_post(slug="soon")
    assert client.get(_url(post.thread)).status_code == 200
    post.status = "draft"
    post.save()
    assert error_of(client.get(_url(post.thread)), 404) == "not_found"


def test_an_unknown_thread_is_not_found(client, db, error_of):
    assert error_of(client.get("/api/v1/threads/999999/comments"), 404) == "not_found"
