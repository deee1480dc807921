"""The API and an unconfirmed address: 403 on posting, in the one error
shape; /api/v1/me says so; POST /api/v1/me/confirmation mails the link."""

import json

import pytest
from django.core import mail

from soundoff.accounts.confirmation import LINK_RATE
from soundoff.discussion.models import Comment
from testkit.cast import make_reader


@pytest.fixture
def unconfirmed(policies):
    return make_reader("Una Confirmed", verified=False, email="una@example.com")


def test_posting_before_confirming_is_403_in_the_error_shape(
    client, bearer, unconfirmed, thread, error_of
):
    response = client.post(
        "/api/v1/comments",
        json.dumps({"thread": thread.pk, "body": "Is the water safe?"}),
        content_type="application/json",
        headers=bearer(unconfirmed),
    )
    assert error_of(response, 403) == "email_not_confirmed"
    assert "confirm your e-mail address" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_me_says_who_must_confirm(client, bearer, unconfirmed, alice):
    assert client.get("/api/v1/me", headers=bearer(unconfirmed)).json()["must_confirm_email"]
    assert not client.get("/api/v1/me", headers=bearer(alice)).json()["must_confirm_email"]


def test_the_link_is_mailed_again_on_request(
    client, bearer, unconfirmed, tasks_at_once, django_capture_on_commit_callbacks, error_of
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/me/confirmation", headers=bearer(unconfirmed))
    assert response.status_code == 202
    assert response.json()["sent"] is True
    assert [m.to for m in mail.outbox] == [["una@example.com"]]
    assert "/accounts/email/confirm/?token=" in mail.outbox[0].body

    for _attempt in range(LINK_RATE.limit - 1):
        client.post("/api/v1/me/confirmation", headers=bearer(unconfirmed))
    response = client.post("/api/v1/me/confirmation", headers=bearer(unconfirmed))
    assert error_of(response, 429) == "rate_limited"
    assert response["Retry-After"]


def test_a_confirmed_reader_is_told_so(client, bearer, alice, tasks_at_once):
    response = client.post("/api/v1/me/confirmation", headers=bearer(alice))
    assert response.status_code == 202
    assert response.json()["sent"] is False
    assert mail.outbox == []


def test_asking_for_a_link_needs_a_reader(client, policies, error_of):
    assert error_of(client.post("/api/v1/me/confirmation"), 401) == "not_signed_in"
