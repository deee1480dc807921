"""Edits and reactions are rate-limited in the services, per reader and per
IP address, so that the page, the API and the widget all hold to them."""

from html import unescape

import pytest
from django.urls import reverse

from soundoff.discussion import services
from soundoff.discussion.errors import RateLimited
from soundoff.discussion.models import ReactionKind
from soundoff.lib.client import ClientInfo
from testkit.cast import CLIENT

ELSEWHERE = ClientInfo(ip="198.51.100.23", user_agent="pytest")


@pytest.fixture
def comment(alice, thread):
    return services.post_comment(thread, author=alice, body="Frist!", client=CLIENT).comment


def test_edits_past_the_readers_limit_are_refused_with_the_wait(alice, comment, settings):
    settings.SOUNDOFF_EDIT_RATE = "2/3600"
    for n in range(2):
        services.edit_comment(comment, by=alice, body=f"First, take {n}", client=CLIENT)

    with pytest.raises(RateLimited) as refused:
        services.edit_comment(comment, by=alice, body="First, take 3", client=ELSEWHERE)

    assert 1 <= refused.value.retry_after <= 3600
    assert "You are editing faster than this site allows. Try again in" in refused.value.detail
    comment.refresh_from_db()
    assert comment.body == "First, take 1"


def test_edits_from_one_ip_count_together(alice, bob, thread, settings):
    settings.SOUNDOFF_IP_EDIT_RATE = "2/3600"
    mine = services.post_comment(thread, author=alice, body="Mine", client=CLIENT).comment
    theirs = services.post_comment(thread, author=bob, body="Theirs", client=CLIENT).comment
    services.edit_comment(mine, by=alice, body="Mine, edited", client=CLIENT)
    services.edit_comment(theirs, by=bob, body="Theirs, edited", client=CLIENT)

    with pytest.raises(RateLimited):
        services.edit_comment(theirs, by=bob, body="Theirs, again", client=CLIENT)
    # The same reader elsewhere is within both limits.
    services.edit_comment(theirs, by=bob, body="Theirs, from home", client=ELSEWHERE)


def test_reactions_and_taking_them_back_count_together(bob, comment, settings):
    settings.SOUNDOFF_REACTION_RATE = "3/3600"
    services.react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)
    services.unreact(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)
    services.react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)

    with pytest.raises(RateLimited) as refused:
        services.unreact(comment, by=bob, kind=ReactionKind.AGREE, client=ELSEWHERE)

    assert "You are reacting faster than this site allows." in refused.value.detail
    comment.refresh_from_db()
    assert comment.reaction_count == 1


def test_reactions_from_one_ip_count_together(alice, bob, comment, settings):
    settings.SOUNDOFF_IP_REACTION_RATE = "1/3600"
    services.react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)

    with pytest.raises(RateLimited):
        services.react(comment, by=alice, kind=ReactionKind.FUNNY, client=CLIENT)


def test_the_edit_page_answers_429_with_the_wait_and_keeps_the_text(
    client, alice, comment, settings
):
    settings.SOUNDOFF_EDIT_RATE = "1/3600"
    client.force_login(alice)
    url = reverse("discussion:edit", args=[comment.pk])
    assert client.post(url, {"body": "First edit"}).status_code == 303

    refused = client.post(url, {"body": "Second edit, kept for the reader"})

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = unescape(refused.content.decode())
    assert "You are editing faster than this site allows." in page
    assert "Second edit, kept for the reader" in page
