"""Moderators' search over comments (/moderate/search/), through the client."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode
from soundoff.discussion.services import edit_comment, post_comment
from soundoff.moderation.decisions import remove_comment
from testkit.cast import CLIENT, conduct_rule, make_comment, make_post

URL = "/moderate/search/"


def _say(thread, author, body):
    return post_comment(thread, author=author, body=body, client=CLIENT).comment


def _found(client, query, **params):
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return response


def _ids(response):
    return [hit.item.pk for hit in response.context["page"].object_list]


@pytest.mark.django_db
def test_it_finds_comments_in_every_status_with_their_author(client, moderator, alice, bob):
    visible = _say(make_post().thread, alice, "The ferry schedule changed again.")
    held = _say(
        make_post(discussion=DiscussionMode.PREMODERATED).thread, bob, "Ferry tickets cost more."
    )
    removed = _say(make_post().thread, bob, "Ferry nonsense, total lies.")
    rule = conduct_rule(2)
    remove_comment(removed, by=moderator, rule=rule)
    _say(make_post().thread, alice, "Nothing about boats here.")
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.HELD
    client.force_login(moderator)

    response = _found(client, "ferry")

    assert sorted(_ids(response)) == sorted([visible.pk, held.pk, removed.pk])
    page = response.content.decode()
    assert "Alice" in page and "Bob" in page
    assert "Held for review" in page
    assert "Removed by a moderator" in page
    assert "<mark>Ferry</mark>" in page


@pytest.mark.django_db
def test_it_refuses_readers_and_sends_visitors_to_log_in(client, alice):
    _say(make_post().thread, alice, "Ferry schedule.")

    response = client.get(URL, {"q": "ferry"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    client.force_login(alice)
    response = client.get(URL, {"q": "ferry"})
    assert response.status_code == 403
    assert b"Ferry schedule" not in response.content


@pytest.mark.django_db
def test_the_snippet_escapes_the_comment(client, moderator, alice):
    _say(
        make_post().thread,
        alice,
        "<script>alert(1)</script> ferry <img src=x onerror=alert(1)> <b>bold</b>",
    )
    client.force_login(moderator)

    page = _found(client, "ferry").content.decode()
    results = page[page.index('class="search-count"') :]

    assert not re.search(r"<(script|img|b)\b", results)
    assert "&lt;img src=x onerror=alert(1)&gt;" in results
    assert "<mark>ferry</mark>" in results


@pytest.mark.django_db
@pytest.mark.parametrize("query", ['"ferry', "ferry*", "NEAR(ferry", "-ferry", "(ferry", "ferry)"])
def test_the_engines_syntax_is_read_as_plain_words(client, moderator, alice, query):
    comment = _say(make_post().thread, alice, "Ferry near the pier.")
    client.force_login(moderator)

    assert _ids(_found(client, query)) == [comment.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", '"', "()"])
def test_a_query_without_words_shows_the_form(client, moderator, query):
    client.force_login(moderator)

    page = _found(client, query).content.decode()

    assert 'role="search"' in page
    assert "found." not in page


@pytest.mark.django_db
def test_the_index_follows_edits(client, moderator, alice):
    comment = _say(make_post().thread, alice, "Ferry schedule.")
    edit_comment(comment, by=alice, body="Train schedule.", client=CLIENT)
    client.force_login(moderator)

    assert _ids(_found(client, "ferry")) == []
    assert _ids(_found(client, "train")) == [comment.pk]


@pytest.mark.django_db
def test_results_are_paginated_in_bounded_queries(client, moderator, alice, bob):
    thread = make_post().thread
    client.force_login(moderator)

    def queries_for(page):
        with CaptureQueriesContext(connection) as queries:
            response = _found(client, "ferry", page=page)
        return response, len(queries)

    _say(thread, alice, "Ferry one.")
    _, few = queries_for(1)
    for n in range(25):
        make_comment(thread, bob if n % 2 else alice, f"Ferry number {n}.")
    first, many = queries_for(1)
    second, _ = queries_for(2)

    assert many == few
    assert first.context["page"].paginator.count == 26
    assert len(_ids(first)) == 25
    assert len(_ids(second)) == 1
    assert set(_ids(first)) | set(_ids(second)) == set(
        thread.comments.values_list("pk", flat=True)
    )
    assert 'href="?q=ferry&amp;page=2"' in first.content.decode()
