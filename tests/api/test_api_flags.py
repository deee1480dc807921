"""POST /api/v1/comments/{id}/flags: a reader reports a comment."""

import pytest

from soundoff.accounts.queries import current_rules
from soundoff.moderation.models import Flag


@pytest.fixture
def comment(thread, alice, say):
    return say(thread, alice, "Report me")


@pytest.fixture
def flag(client, bearer):
    def send(user, comment, payload):
        return client.post(
            f"/api/v1/comments/{comment.pk}/flags",
            payload,
            content_type="application/json",
            headers=bearer(user),
        )

    return send


def test_a_report_cites_a_rule_by_number(flag, bob, comment):
    rule = current_rules()[0]
    response = flag(bob, comment, {"rule": rule.number})
    assert response.status_code == 201, response.content
    report = Flag.objects.get()
    assert response.json()["id"] == report.pk
    assert response.json()["comment"] == comment.pk
    assert (report.reporter, report.rule) == (bob, rule)
    comment.refresh_from_db()
    assert comment.open_flags == 1


def test_a_report_may_explain_instead(flag, bob, comment):
    assert flag(bob, comment, {"explanation": "Doxxing a neighbour"}).status_code == 201
    assert Flag.objects.get().explanation == "Doxxing a neighbour"


def test_an_unknown_rule_is_refused(flag, bob, comment, error_of):
    assert error_of(flag(bob, comment, {"rule": 99}), 422) == "flag_refused"
    assert "99" in flag(bob, comment, {"rule": 99}).json()["detail"]
    assert not Flag.objects.exists()


def test_a_report_needs_a_rule_or_a_reason(flag, bob, comment, error_of):
    assert error_of(flag(bob, comment, {}), 422) == "flag_refused"
    assert not Flag.objects.exists()


def test_no_reporting_ones_own_comment(flag, alice, comment, error_of):
    assert error_of(flag(alice, comment, {"rule": 1}), 422) == "flag_refused"
    assert not Flag.objects.exists()


def test_reporting_twice_is_refused(flag, bob, comment, error_of):
    assert flag(bob, comment, {"rule": 1}).status_code == 201
    response = flag(bob, comment, {"rule": 2})
    assert error_of(response, 422) == "flag_refused"
    assert "already" in response.json()["detail"]
    assert Flag.objects.count() == 1
    comment.refresh_from_db()
    assert comment.open_flags == 1


def test_an_overlong_explanation_is_refused(flag, bob, comment, error_of):
    assert error_of(flag(bob, comment, {"explanation": "x" * 501}), 422) == "invalid"
    assert not Flag.objects.exists()
