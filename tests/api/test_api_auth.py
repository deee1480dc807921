"""Who may write: the session with CSRF on Soundoff's own pages, a bearer
token from the embedded widget on another site."""

import json
import time
from unittest import mock

import pytest
from django.test import Client

from soundoff.api.tokens import issue_token
from soundoff.discussion.models import Comment

URL = "/api/v1/comments"


def _comment(client, thread, **headers):
    return client.post(
        URL,
        json.dumps({"thread": thread.pk, "body": "Through the front door"}),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def strict(alice):
    """A browser on Soundoff's own pages: signed in, CSRF enforced."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def test_a_session_write_without_csrf_is_refused(strict, thread, say, alice, error_of):
    assert error_of(_comment(strict, thread), 403) == "csrf_failed"
    comment = say(thread, alice, "Mine")
    response = strict.patch(
        f"{URL}/{comment.pk}", {"body": "Changed"}, content_type="application/json"
    )
    assert error_of(response, 403) == "csrf_failed"
    assert error_of(strict.delete(f"{URL}/{comment.pk}"), 403) == "csrf_failed"
    assert list(Comment.objects.values_list("body", "status")) == [("Mine", "visible")]


def test_a_session_write_with_a_bad_csrf_token_is_refused(strict, thread, post, error_of):
    strict.get(post.get_absolute_url())
    response = _comment(strict, thread, **{"X-CSRFToken": "x" * 32})
    assert error_of(response, 403) == "csrf_failed"
    assert not Comment.objects.exists()


def test_a_session_write_with_the_csrf_token_works(strict, thread, post):
    strict.get(post.get_absolute_url())
    token = strict.cookies["csrftoken"].value
    response = _comment(strict, thread, **{"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    assert Comment.objects.count() == 1


def test_a_token_works_cross_origin_without_csrf(alice, thread, embed_origin):
    client = Client(enforce_csrf_checks=True)
    response = _comment(
        client, thread, Authorization=f"Bearer {issue_token(alice)}", Origin=embed_origin
    )
    assert response.status_code == 201, response.content
    assert Comment.objects.get().author == alice
    assert response["Access-Control-Allow-Origin"] == embed_origin


def _refused_token(alice, thread, token, error_of):
    client = Client(enforce_csrf_checks=True)
    response = _comment(client, thread, Authorization=f"Bearer {token}", Origin="https://x.org")
    # 401, not a CSRF failure: the widget must know to sign in again.
    assert error_of(response, 401) == "not_signed_in"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["authenticated"] is False
    assert not Comment.objects.exists()


def test_an_expired_token_is_refused(alice, thread, settings, error_of):
    settings.SOUNDOFF_TOKEN_AGE = 3600
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3601):
        token = issue_token(alice)
    _refused_token(alice, thread, token, error_of)


def test_a_token_of_age_zero_is_refused(alice, thread, settings, error_of):
    settings.SOUNDOFF_TOKEN_AGE = 0
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 1):
        token = issue_token(alice)
    _refused_token(alice, thread, token, error_of)


@pytest.mark.parametrize("damage", ["signature", "payload", "garbage"])
def test_a_tampered_token_is_refused(alice, bob, thread, damage, error_of):
    token = issue_token(alice)
    if damage == "signature":
        token = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    elif damage == "payload":
        token = issue_token(bob).split(":", 1)[0] + ":" + token.split(":", 1)[1]
    else:
        token = "not.a.token"
    _refused_token(alice, thread, token, error_of)


def test_a_token_dies_with_a_password_change(alice, thread, error_of):
    token = issue_token(alice)
    alice.set_password("a brand new passphrase")
    alice.save()
    _refused_token(alice, thread, token, error_of)


def test_a_token_of_a_deactivated_reader_is_refused(alice, thread, error_of):
    token = issue_token(alice)
    alice.is_active = False
    alice.save()
    _refused_token(alice, thread, token, error_of)


def test_a_token_of_an_unclaimed_account_is_refused(alice, thread, error_of):
    token = issue_token(alice)
    alice.is_claimed = False
    alice.save()
    _refused_token(alice, thread, token, error_of)


def test_a_token_gives_the_reader_as_stored(alice, thread):
    from soundoff.api.tokens import reader_for_token

    reader = reader_for_token(issue_token(alice))
    assert reader == alice
    assert reader.display_name == alice.display_name
    assert reader.email == alice.email
    assert not reader._state.adding
