"""Appeals: a reader appeals a removal or a sanction once, from the link in
the notice; a moderator grants (undoing it) or turns it down; it is logged
and the reader is told by e-mail through the real SMTP server."""

from datetime import timedelta

import pytest
from django.urls import reverse

from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.services import post_comment
from soundoff.moderation import appeals
from soundoff.moderation.decisions import remove_comment, restore_comment
from soundoff.moderation.errors import AlreadyDecided, AppealRefused
from soundoff.moderation.models import ActionKind, Appeal, AppealStatus, ModerationAction, Sanction
from soundoff.moderation.sanctions import ban_user, suspend_user
from testkit.cast import CLIENT


@pytest.fixture
def removal(alice, thread, moderator, rule, django_capture_on_commit_callbacks):
    comment = post_comment(thread, author=alice, body="The mayor is a clown.", client=CLIENT)
    with django_capture_on_commit_callbacks(execute=True):
        remove_comment(comment.comment, by=moderator, rule=rule)
    return ModerationAction.objects.get(action=ActionKind.REMOVED)


@pytest.fixture
def suspension(alice, moderator, rule, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        suspend_user(alice, by=moderator, duration=timedelta(days=3), rule=rule)
    return Sanction.objects.get(user=alice).decision


def test_a_removal_is_appealed_once_and_logged(removal, alice):
    appeal = appeals.file_appeal(removal, by=alice, text="  I was quoting the mayor himself. ")
    assert (appeal.status, appeal.text) == (AppealStatus.OPEN, "I was quoting the mayor himself.")
    logged = ModerationAction.objects.get(action=ActionKind.APPEALED)
    assert (logged.actor, logged.user, logged.comment) == (alice, alice, removal.comment)
    with pytest.raises(AppealRefused, match="already appealed"):
        appeals.file_appeal(removal, by=alice, text="Again.")
    assert Appeal.objects.count() == 1


def test_only_the_reader_concerned_may_appeal(removal, bob):
    with pytest.raises(NotAllowed):
        appeals.file_appeal(removal, by=bob, text="Let her speak.")
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Say why"),
        ("x" * 2001, "limit is 2,000"),
        ("nul \x00 byte", "can.t be stored|cannot|character"),
    ],
)
def test_an_unreadable_appeal_is_refused(removal, alice, text, message):
    with pytest.raises(AppealRefused, match=message):
        appeals.file_appeal(removal, by=alice, text=text)
    assert not Appeal.objects.exists()


def test_a_restored_comment_has_nothing_to_appeal(removal, alice, moderator):
    restore_comment(removal.comment, by=moderator)
    assert appeals.decisions_about(alice) == []
    with pytest.raises(AppealRefused, match="no longer in force"):
        appeals.file_appeal(removal, by=alice, text="Please.")


def test_turning_down_a_sanction_appeal_keeps_it_and_a_second_decision_is_refused(
    suspension, alice, moderator, make_moderator
):
    appeal = appeals.file_appeal(suspension, by=alice, text="I was provoked.")
    appeals.decide_appeal(appeal, by=moderator, grant=False, answer="Rule 2 still applies.")
    assert Sanction.objects.in_force().filter(user=alice).exists()
    with pytest.raises(AlreadyDecided, match="Mona Moderator"):
        appeals.decide_appeal(appeal, by=make_moderator("Second Desk"), grant=True)
    assert Sanction.objects.in_force().filter(user=alice).exists()
    assert ModerationAction.objects.filter(action=ActionKind.APPEAL_UPHELD).count() == 1


def test_granting_a_sanction_appeal_lifts_that_sanction_only(suspension, alice, moderator):
    ban = ban_user(alice, by=moderator)
    appeal = appeals.file_appeal(suspension, by=alice, text="I was provoked.")
    appeals.decide_appeal(appeal, by=moderator, grant=True)
    assert list(Sanction.objects.in_force().filter(user=alice)) == [ban]


def test_readers_cannot_decide_appeals(removal, alice, bob):
    appeal = appeals.file_appeal(removal, by=alice, text="It was a quote.")
    with pytest.raises(NotAllowed):
        appeals.decide_appeal(appeal, by=bob, grant=True)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


def test_the_appeal_form_keeps_the_text_on_error_and_sends_it(removal, alice, client):
    client.force_login(alice)
    url = reverse("appeals:new", args=[removal.pk])
    too_long = "I was quoting. " * 200
    refused = client.post(url, {"text": too_long})
    assert refused.status_code == 400
    assert too_long.strip() in refused.content.decode()
    sent = client.post(url, {"text": "I was quoting."})
    assert sent.status_code == 303
    assert Appeal.objects.get().text == "I was quoting."
    listing = client.get(reverse("appeals:mine")).content.decode()
    assert "Waiting for a moderator" in listing


def test_another_readers_decision_is_not_found(removal, bob, client):
    client.force_login(bob)
    assert client.get(reverse("appeals:new", args=[removal.pk])).status_code == 404
    assert client.post(reverse("appeals:new", args=[removal.pk]), {"text": "x"}).status_code == 404
    assert not Appeal.objects.exists()


def test_the_moderators_queue_shows_the_appeal_and_decides_it(removal, alice, moderator, client):
    appeals.file_appeal(removal, by=alice, text="Please <b>look</b> again.")
    client.force_login(moderator)
    page = client.get(reverse("moderation:appeals")).content.decode()
    assert "Please &lt;b&gt;look&lt;/b&gt; again." in page
    assert "The mayor is a clown." in page
    appeal = Appeal.objects.get()
    answer = client.post(
        reverse("moderation:decide_appeal", args=[appeal.pk]), {"outcome": "uphold", "answer": ""}
    )
    assert answer.status_code == 303
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD


def test_readers_get_no_appeals_queue(removal, alice, bob, client):
    appeal = appeals.file_appeal(removal, by=alice, text="Please.")
    client.force_login(bob)
    assert client.get(reverse("moderation:appeals")).status_code == 403
    decide = reverse("moderation:decide_appeal", args=[appeal.pk])
    assert client.post(decide, {"outcome": "grant"}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


def test_the_profile_links_the_appeals_page(alice, client):
    client.force_login(alice)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("appeals:mine")}"' in profile
