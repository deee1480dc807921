"""GET /api/v1/me and POST /api/v1/me/policies: the current reader."""

import json

import pytest
from django.utils import timezone

from soundoff.accounts.models import PolicyAcceptance, PolicyKind, PolicyVersion
from soundoff.accounts.queries import current_policies
from soundoff.accounts.services import draft_next_version

URL = "/api/v1/me"


@pytest.fixture
def accept(client, bearer):
    def send(user, documents):
        return client.post(
            f"{URL}/policies",
            json.dumps({"documents": documents}),
            content_type="application/json",
            headers=bearer(user),
        )

    return send


def _publish_next_terms() -> PolicyVersion:
    terms = draft_next_version(current_policies()[PolicyKind.TERMS])
    terms.summary_of_changes = "Rule 3 is clearer."
    terms.published_at = timezone.now()
    terms.save()
    return terms


def test_anonymous(client, policies):
    body = client.get(URL).json()
    assert body == {
        "authenticated": False,
        "reader": None,
        "policies_awaiting": [],
        "must_confirm_email": False,
        "sanction": None,
    }


def test_signed_in_with_the_session_or_a_token(client, as_reader, bearer, alice):
    for response in (as_reader(alice).get(URL), client.get(URL, headers=bearer(alice))):
        body = response.json()
        assert body["authenticated"] is True
        assert body["reader"]["id"] == alice.pk
        assert body["reader"]["display_name"] == "Alice Reader"
        assert set(body["reader"]) == {"id", "display_name", "avatar_url"}
        assert body["policies_awaiting"] == []


def test_a_newcomer_sees_the_policies_awaiting(client, bearer, newcomer):
    awaiting = client.get(URL, headers=bearer(newcomer)).json()["policies_awaiting"]
    current = current_policies()
    assert {p["id"] for p in awaiting} == {v.pk for v in current.values()}
    assert {p["kind"] for p in awaiting} == {"terms", "privacy"}
    assert all(p["url"].startswith("/policies/") for p in awaiting)


def test_accepting_the_awaiting_versions(client, accept, bearer, newcomer, thread):
    ids = [p.pk for p in current_policies().values()]
    response = accept(newcomer, ids)
    assert response.status_code == 200, response.content
    assert response.json()["policies_awaiting"] == []
    assert PolicyAcceptance.objects.filter(user=newcomer).count() == 2
    comment = client.post(
        "/api/v1/comments",
        {"thread": thread.pk, "body": "Now I may speak"},
        content_type="application/json",
        headers=bearer(newcomer),
    )
    assert comment.status_code == 201


def test_a_new_version_awaits_again(client, accept, bearer, alice):
    terms = _publish_next_terms()
    awaiting = client.get(URL, headers=bearer(alice)).json()["policies_awaiting"]
    assert [(p["id"], p["summary_of_changes"]) for p in awaiting] == [
        (terms.pk, "Rule 3 is clearer.")
    ]
    assert accept(alice, [terms.pk]).json()["policies_awaiting"] == []


def test_only_current_awaiting_versions_may_be_accepted(accept, alice, newcomer, error_of):
    old_terms = current_policies()[PolicyKind.TERMS]
    draft = draft_next_version(old_terms)
    assert error_of(accept(newcomer, [draft.pk]), 422) == "invalid"
    current_terms = _publish_next_terms()
    assert error_of(accept(newcomer, [old_terms.pk]), 422) == "invalid"
    assert error_of(accept(newcomer, [10**9]), 422) == "invalid"
    # Already accepted: nothing awaits, so nothing may be accepted.
    privacy = current_policies()[PolicyKind.PRIVACY]
    assert error_of(accept(alice, [privacy.pk]), 422) == "invalid"
    assert error_of(accept(newcomer, [current_terms.pk, draft.pk + 1000]), 422) == "invalid"
    assert not PolicyAcceptance.objects.filter(user=newcomer).exists()


def test_accepting_needs_a_reader_and_a_list(client, accept, newcomer, error_of):
    response = client.post(f"{URL}/policies", {"documents": [1]}, content_type="application/json")
    assert error_of(response, 401) == "not_signed_in"
    assert error_of(accept(newcomer, []), 422) == "invalid"
    assert error_of(accept(newcomer, list(range(11))), 422) == "invalid"
