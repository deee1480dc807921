"""A reader's page for moderators: history and sanctions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from soundoff.discussion import services as discussion
from soundoff.discussion.errors import CommentRefused
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.moderation.models import ActionKind, ModerationAction, Sanction, SanctionKind
from soundoff.moderation.sanctions import ban_user, suspend_user
from testkit.cast import CLIENT, conduct_rule
from testkit.pages import assert_sent_to_log_in, page_text


def _url(user):
    return reverse("moderation:reader", args=[user.pk])


def test_anonymous_visitors_are_sent_to_log_in(client, alice):
    response = client.get(_url(alice))
    assert_sent_to_log_in(response)


def test_readers_cannot_see_or_sanction_each_other(client, alice, bob):
    client.force_login(bob)
    assert client.get(_url(alice)).status_code == 403
    response = client.post(_url(alice), {"sanction": "ban"})
    assert response.status_code == 403
    assert not Sanction.objects.exists()
    assert not ModerationAction.objects.exists()


def test_the_page_shows_the_readers_history(client, moderator, alice, bob, thread):
    shown = discussion.post_comment(thread, author=alice, body="Shown one.", client=CLIENT)
    removed = discussion.post_comment(thread, author=alice, body="Removed one.", client=CLIENT)
    flag_comment(shown.comment, by=bob, rule=conduct_rule(1))
    remove_comment(removed.comment, by=moderator, rule=conduct_rule(2))
    suspend_user(alice, by=moderator, duration=timedelta(days=3), rule=conduct_rule(2))

    client.force_login(moderator)
    response = client.get(_url(alice))

    assert response.status_code == 200
    page = page_text(response)
    assert "Alice Reader" in page
    assert "1 visible, 0 held, 1 removed comments; 1 report received." in page
    assert "Shown one." in page
    assert "Removed one." in page
    assert "Suspension from" in page
    assert "Rule 2" in page
    assert "Suspended" in page
    assert "Mona Moderator" in page


def test_suspend_for_some_days(client, moderator, alice, thread):
    client.force_login(moderator)
    response = client.post(
        _url(alice),
        {"sanction": "suspend", "days": 7, "rule": conduct_rule(2).pk, "note": "Insults."},
    )
    assert response.status_code == 303
    sanction = Sanction.objects.get(user=alice)
    assert sanction.kind == SanctionKind.SUSPENSION
    expected = timezone.now() + timedelta(days=7)
    assert abs(sanction.ends_at - expected) < timedelta(minutes=1)
    action = ModerationAction.objects.get(action=ActionKind.SUSPENDED)
    assert (action.user, action.actor, action.rule.number) == (alice, moderator, 2)
    assert "Saved." in page_text(client.get(_url(alice)))
    with pytest.raises(CommentRefused):
        discussion.post_comment(thread, author=alice, body="Still here?", client=CLIENT)


def test_ban(client, moderator, alice):
    client.force_login(moderator)
    client.post(_url(alice), {"sanction": "ban", "rule": conduct_rule(4).pk})
    sanction = Sanction.objects.get(user=alice)
    assert (sanction.kind, sanction.ends_at) == (SanctionKind.BAN, None)
    assert ModerationAction.objects.filter(action=ActionKind.BANNED, user=alice).count() == 1


def test_lift_ends_sanctions_in_force(client, moderator, alice, thread):
    ban_user(alice, by=moderator)
    client.force_login(moderator)
    response = client.post(_url(alice), {"sanction": "lift", "note": "Appeal granted."})
    assert response.status_code == 303
    assert not Sanction.objects.in_force().filter(user=alice).exists()
    assert ModerationAction.objects.filter(action=ActionKind.SANCTION_LIFTED).count() == 1
    assert discussion.post_comment(thread, author=alice, body="Back.", client=CLIENT).is_visible


@pytest.mark.parametrize("days", [0, -3, 100000, "soon"])
def test_the_days_must_be_sensible(client, moderator, alice, days):
    client.force_login(moderator)
    response = client.post(_url(alice), {"sanction": "suspend", "days": days})
    assert response.status_code == 400
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    ("target", "form", "refusal"),
    [
        ("alice", {"sanction": "suspend"}, "Give the suspension a number of days."),
        ("editor", {"sanction": "ban"}, "Staff and moderators can't be sanctioned here"),
        ("moderator", {"sanction": "suspend", "days": 1}, "You can't sanction yourself."),
    ],
    ids=["a suspension without days", "staff", "oneself"],
)
def test_a_refused_sanction_says_why_and_changes_nothing(
    client, moderator, request, target, form, refusal
):
    client.force_login(moderator)
    response = client.post(_url(request.getfixturevalue(target)), form)
    assert response.status_code == 400
    assert refusal in page_text(response)
    assert not Sanction.objects.exists()
    assert not ModerationAction.objects.exists()


def test_an_unknown_reader_is_not_found(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:reader", args=[999999])).status_code == 404
