"""Surge alerts: reports and holds on one story within the window e-mail
every moderator once per surge, from the real worker over real SMTP."""

from datetime import timedelta

import pytest
from django.utils import timezone

from soundoff.accounts.models import User
from soundoff.discussion.services import post_comment
from soundoff.moderation.models import SurgeAlert
from soundoff.moderation.readers import set_premoderation
from soundoff.moderation.services import flag_comment
from testkit.cast import CLIENT, make_post, make_reader, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPLY_TO = "Ledger moderators <moderators@example.org>"


@pytest.fixture
def surge_of_three(settings, fast_password_hashing):
    settings.SOUNDOFF_SURGE_COUNT = 3
    settings.SOUNDOFF_SURGE_MINUTES = 15
    settings.SOUNDOFF_FLAG_THRESHOLD = 100  # reports alone withhold nothing here
    settings.SOUNDOFF_REPEAT_WINDOW = 0
    settings.SOUNDOFF_SITE_URL = "https://news.example.org"
    settings.SOUNDOFF_MODERATION_REPLY_TO = REPLY_TO


def _report(comment, n):
    for _ in range(n):
        flag_comment(comment, by=make_reader(), explanation="Rude.")


def test_a_surge_of_reports_mails_every_moderator_once(
    surge_of_three, moderator, make_moderator, alice, thread, mailbox
):
    second = make_moderator("Sam Second")
    comment = post_comment(thread, author=alice, body="Rude words.", client=CLIENT).comment
    _report(comment, 2)
    run_worker()
    assert mailbox.envelopes == []  # two of three: no surge yet

    _report(comment, 1)
    run_worker()
    assert sorted(e.rcpt_tos[0] for e in mailbox.envelopes) == sorted(
        [moderator.email, second.email]
    )
    message = mailbox.messages[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Water main breaks downtown" in message["Subject"]
    assert "3 reports from readers and 0 comments withheld" in body
    assert message["Reply-To"] == REPLY_TO
    assert f"https://news.example.org/moderate/story/{thread.pk}/withheld/" in body
    assert f"https://news.example.org/moderate/story/{thread.pk}/reported/" in body

    _report(comment, 4)  # the same surge goes on
    run_worker()
    assert len(mailbox.envelopes) == 2
    assert SurgeAlert.objects.count() == 1


def test_held_comments_count_and_a_later_surge_mails_again(
    surge_of_three, moderator, alice, thread, mailbox
):
    set_premoderation(alice, by=moderator, on=True)
    for n in range(3):
        post_comment(thread, author=alice, body=f"Held {n}.", client=CLIENT)
    run_worker()
    assert len(mailbox.envelopes) == 1
    assert "0 reports from readers and 3 comments withheld" in mailbox.messages[0].get_content()

    # Quiet for longer than the window: the next surge is a new one.
    # The log is append-only, so the earlier holds stay in the window;
    # the alert is what is moved back, as if the surge had ended then.
    SurgeAlert.objects.update(last_seen_at=timezone.now() - timedelta(minutes=16))
    post_comment(thread, author=alice, body="Held again.", client=CLIENT)
    run_worker()
    assert len(mailbox.envelopes) == 2
    assert SurgeAlert.objects.count() == 2


def test_another_story_is_counted_on_its_own(surge_of_three, moderator, alice, thread, mailbox):
    other = make_post(headline="Bridge reopens", slug="bridge").thread
    first = post_comment(thread, author=alice, body="One.", client=CLIENT).comment
    second = post_comment(other, author=alice, body="Two.", client=CLIENT).comment
    _report(first, 2)
    _report(second, 2)
    run_worker()
    assert mailbox.envelopes == []


def test_no_alerts_when_turned_off(settings, surge_of_three, moderator, alice, thread, mailbox):
    settings.SOUNDOFF_SURGE_COUNT = 0
    comment = post_comment(thread, author=alice, body="Rude words.", client=CLIENT).comment
    _report(comment, 5)
    run_worker()
    assert mailbox.envelopes == []
    assert not SurgeAlert.objects.exists()


def test_each_moderator_is_alerted_in_their_language(
    surge_of_three, moderator, make_moderator, alice, thread, mailbox
):
    spanish = make_moderator("Sara Segunda")
    User.objects.filter(pk=spanish.pk).update(language="es")
    comment = post_comment(thread, author=alice, body="Rude words.", client=CLIENT).comment
    _report(comment, 3)
    run_worker()
    by_address = {message["To"]: message for message in mailbox.messages}
    assert by_address[moderator.email]["Subject"].startswith("Surge of reports on")
    assert by_address[spanish.email]["Subject"].startswith("Oleada de denuncias en")
    assert "3 denuncias de lectores" in by_address[spanish.email].get_content()
