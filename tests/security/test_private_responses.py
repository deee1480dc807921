"""Personal responses are private; shared ones never turn into personal ones.

A CDN or proxy in front of Soundoff may keep what says ``public`` and must
keep nothing else: one reader's page, name, CSRF token or comments awaiting
review never reach another, and the anonymous page is never served to a
signed-in reader (nor the reverse).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from soundoff.api.tokens import issue_token
from soundoff.discussion import services
from testkit.cast import CLIENT

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def is_private(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return bool(directives & {"private", "no-store"}) and "public" not in directives


@pytest.fixture
def comment(alice, thread):
    return services.post_comment(
        thread, author=alice, body="A comment by Alice.", client=CLIENT
    ).comment


SIGNED_IN_PAGES = {
    "front page": lambda post, comment: reverse("newsroom:front"),
    "post page": lambda post, comment: post.get_absolute_url(),
    "replies page": lambda post, comment: reverse("discussion:replies", args=[comment.pk]),
    "reply form": lambda post, comment: reverse("discussion:reply", args=[comment.pk]),
    "edit page": lambda post, comment: reverse("discussion:edit", args=[comment.pk]),
    "profile": lambda post, comment: reverse("accounts:profile"),
    "rules": lambda post, comment: reverse("rules"),
    "terms": lambda post, comment: reverse("terms"),
    "claim page": lambda post, comment: reverse("importers:claim"),
}


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_every_signed_in_page_is_private(client, alice, post, comment, page):
    client.force_login(alice)
    response = client.get(SIGNED_IN_PAGES[page](post, comment))
    assert response.status_code == 200
    assert "Alice Reader" in response.content.decode()  # her masthead
    assert is_private(response), response.get("Cache-Control")


PERSONAL_API = {
    "me": lambda thread, comment: "/api/v1/me",
    "mine": lambda thread, comment: f"/api/v1/threads/{thread.pk}/mine",
    "a comment": lambda thread, comment: f"/api/v1/comments/{comment.pk}",
}


@pytest.mark.parametrize("how", ["session", "bearer"])
@pytest.mark.parametrize("answer", PERSONAL_API)
def test_per_reader_api_answers_are_private(alice, thread, comment, answer, how):
    client, headers = Client(), {}
    if how == "session":
        client.force_login(alice)
    else:
        headers = {"Authorization": f"Bearer {issue_token(alice)}"}
    response = client.get(PERSONAL_API[answer](thread, comment), headers=headers)
    assert response.status_code == 200
    assert is_private(response), response.get("Cache-Control")


@pytest.mark.parametrize("answer", ["me", "mine"])
def test_the_anonymous_answer_of_a_per_reader_endpoint_is_kept_by_no_one(
    client, thread, comment, answer
):
    # Else a shared cache could hand it to a widget whose token names a reader.
    response = client.get(PERSONAL_API[answer](thread, comment))
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_reaction_answer_is_private(client, bob, comment):
    client.force_login(bob)
    response = client.post(
        f"/api/v1/comments/{comment.pk}/reactions",
        {"kind": "agree"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["mine"] == ["agree"]
    assert is_private(response)


def test_a_page_that_sets_a_cookie_is_private_even_for_nobody_in_particular(client):
    response = client.get(reverse("accounts:register"))
    assert "csrftoken" in response.cookies
    assert is_private(response)


def test_the_anonymous_post_page_is_shared_but_varies_on_the_cookie(client, post, comment):
    response = client.get(post.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "Cookie" in [part.strip() for part in response["Vary"].split(",")]
    assert not response.cookies


def test_a_signed_in_reader_with_the_anonymous_etag_gets_her_own_page(client, alice, post):
    etag = client.get(post.get_absolute_url())["ETag"]
    client.force_login(alice)
    response = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Alice Reader" in response.content.decode()
    assert is_private(response) and "ETag" not in response


def test_a_signed_in_page_never_fills_what_anonymous_readers_get(alice, post, comment):
    signed_in = Client()
    signed_in.force_login(alice)
    assert ">Edit<" in signed_in.get(post.get_absolute_url()).content.decode()
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "A comment by Alice." in page
    assert ">Edit<" not in page and "Log out" not in page and "csrfmiddlewaretoken" not in page


def test_what_does_not_depend_on_the_reader_keeps_its_own_policy(client, alice):
    client.force_login(alice)
    response = client.get(reverse("default_avatar", args=[alice.pk]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]
