"""A suspended or banned reader is told before they type, on the page, in
/api/v1/me (which the widget shows in place of its form) and in the API's
refusal, with the rule, the end and the way to appeal; refusals are logged."""

from datetime import timedelta

import pytest
from django.urls import reverse

from soundoff.moderation.models import ActionKind, ModerationAction
from soundoff.moderation.sanctions import suspend_user
from testkit.cast import conduct_rule


@pytest.fixture
def suspended(alice, moderator):
    rule = conduct_rule(2)
    suspend_user(alice, by=moderator, duration=timedelta(days=3), rule=rule)
    return alice


def test_the_post_page_shows_the_notice_instead_of_the_form(suspended, thread, client):
    client.force_login(suspended)
    page = client.get(thread.post.get_absolute_url()).content.decode()
    assert "Your account is suspended from commenting under Rule 2" in page
    assert reverse("appeals:mine") in page
    assert 'name="body"' not in page


def test_api_me_carries_the_notice_and_the_appeal_link(suspended, client, settings):
    client.force_login(suspended)
    sanction = client.get("/api/v1/me").json()["sanction"]
    assert sanction["detail"].startswith("Your account is suspended from commenting under Rule 2")
    assert sanction["appeal_url"] == settings.SOUNDOFF_SITE_URL + reverse("appeals:mine")


def test_api_me_has_no_notice_for_a_reader_in_good_standing(bob, client):
    client.force_login(bob)
    assert client.get("/api/v1/me").json()["sanction"] is None


def test_the_api_refusal_says_the_same_and_is_logged(suspended, thread, client, settings):
    client.force_login(suspended)
    response = client.post(
        "/api/v1/comments",
        {"thread": thread.pk, "body": "Let me speak."},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "sanctioned"
    assert "suspended from commenting under Rule 2" in error["detail"]
    assert settings.SOUNDOFF_SITE_URL + reverse("appeals:mine") in error["detail"]
    # Logged once, though the API's transaction rolled its first row back.
    refusal = ModerationAction.objects.get(action=ActionKind.REFUSED)
    assert (refusal.actor, refusal.user, refusal.thread) == (None, suspended, thread)


def test_a_refusal_on_the_page_keeps_the_text_and_is_logged(suspended, thread, client):
    client.force_login(suspended)
    response = client.post(
        reverse("discussion:post_comment", args=[thread.post.slug]), {"body": "Let me speak."}
    )
    assert "Let me speak." in response.content.decode()
    refusal = ModerationAction.objects.get(action=ActionKind.REFUSED)
    assert (refusal.actor, refusal.user, refusal.reason_code) == (None, suspended, "sanctioned")
