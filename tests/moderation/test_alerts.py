"""Moderator alerts from the real worker over real SMTP: reports and holds
on one story within the window e-mail every moderator once per surge, and
every new appeal e-mails every moderator."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.models import User
from soundoff.accounts.rights.deletion import delete_account
from soundoff.discussion.services import post_comment
from soundoff.moderation import appeals
from soundoff.moderation.alerts import tell_of_surge
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.moderation.models import ActionKind, ModerationAction, Sanction, SurgeAlert
from soundoff.moderation.readers import set_premoderation
from soundoff.moderation.sanctions import suspend_user
from testkit.cast import CLIENT, conduct_rule, make_post, make_reader, run_worker

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


def _removed_and_told(thread, author, body, *, moderator, mailbox, note=""):
    """``author``'s comment removed under Rule 2, the mail telling them gone
    out (and out of ``mailbox``); the removal."""
    comment = post_comment(thread, author=author, body=body, client=CLIENT).comment
    remove_comment(comment, by=moderator, rule=conduct_rule(2), note=note)
    run_worker()
    mailbox.envelopes.clear()
    return ModerationAction.objects.get(comment=comment, action=ActionKind.REMOVED)


@pytest.fixture
def appealable_removal(surge_of_three, moderator, alice, thread, mailbox):
    """Alice's comment removed under Rule 2, and the mail telling her gone out."""
    return _removed_and_told(
        thread,
        alice,
        "The mayor is a clown.",
        moderator=moderator,
        mailbox=mailbox,
        note="Name-calling.",
    )


def test_a_new_appeal_mails_every_moderator_with_the_decision_and_the_queue(
    appealable_removal, moderator, make_moderator, alice, mailbox
):
    spanish = make_moderator("Sara Segunda")
    User.objects.filter(pk=spanish.pk).update(language="es")
    appeals.file_appeal(appealable_removal, by=alice, text="I was quoting the mayor himself.")
    run_worker()
    by_address = {message["To"]: message for message in mailbox.messages}
    assert sorted(by_address) == sorted([moderator.email, spanish.email])
    assert by_address[spanish.email]["Subject"] == "Nuevo recurso de Alice Reader"
    assert "La decisión: Retirado" in by_address[spanish.email].get_content()
    message = by_address[moderator.email]
    body = message.get_content()
    assert message["Subject"] == "New appeal from Alice Reader"
    assert message["Reply-To"] == REPLY_TO
    assert "I was quoting the mayor himself." in body
    assert "The decision: Removed, on " in body
    assert "Rule 2, No personal attacks or harassment" in body
    assert "The moderator's note: Name-calling." in body
    assert "The mayor is a clown." in body
    assert "https://news.example.org/moderate/appeals/" in body
    assert alice.email not in body  # the reader's address is not the moderators' business


def test_a_sanction_appeal_says_until_when(surge_of_three, moderator, alice, mailbox):
    suspend_user(alice, by=moderator, duration=timedelta(days=3))
    run_worker()
    mailbox.envelopes.clear()
    decision = Sanction.objects.get(user=alice).decision
    appeals.file_appeal(decision, by=alice, text="I was provoked.")
    run_worker()
    [message] = mailbox.messages
    assert "The decision: Suspended, on " in message.get_content()
    assert "In force until: " in message.get_content()


def test_an_appeal_rolled_back_or_decided_first_mails_no_moderator(
    appealable_removal, moderator, alice, mailbox
):
    with pytest.raises(RuntimeError), transaction.atomic():
        appeals.file_appeal(appealable_removal, by=alice, text="Lost with the transaction.")
        raise RuntimeError
    run_worker()
    assert mailbox.envelopes == []

    appeal = appeals.file_appeal(appealable_removal, by=alice, text="It was a quote.")
    appeals.decide_appeal(appeal, by=moderator, grant=False, answer="It was not.")
    run_worker()
    # Only the reader hears, of the decision; the moderators' mail is moot.
    assert [e.rcpt_tos[0] for e in mailbox.envelopes] == [alice.email]


def test_a_moderator_appealing_is_not_mailed_their_own_appeal(
    surge_of_three, moderator, make_moderator, thread, mailbox
):
    appellant = make_moderator("Mo Appellant")
    removal = _removed_and_told(
        thread, appellant, "Off duty, and rude.", moderator=moderator, mailbox=mailbox
    )
    appeals.file_appeal(removal, by=appellant, text="Why?")
    run_worker()
    assert [e.rcpt_tos[0] for e in mailbox.envelopes] == [moderator.email]


def test_a_moderator_demoted_before_the_mail_goes_is_not_mailed_the_appeal(
    appealable_removal, moderator, make_moderator, alice, mailbox
):
    former = make_moderator("Fay Former")
    appeals.file_appeal(appealable_removal, by=alice, text="I was quoting the mayor himself.")
    former.groups.clear()  # no longer a moderator when the worker writes

    run_worker()

    # The appeal quotes the removed comment: only moderators may read it.
    assert [e.rcpt_tos[0] for e in mailbox.envelopes] == [moderator.email]


def test_a_moderator_demoted_before_the_mail_goes_is_not_told_of_the_surge(
    surge_of_three, moderator, make_moderator, alice, thread, mailbox
):
    former = make_moderator("Fay Former")
    comment = post_comment(thread, author=alice, body="Rude words.", client=CLIENT).comment
    _report(comment, 3)
    run_worker()
    mailbox.envelopes.clear()
    former.groups.clear()
    alert = SurgeAlert.objects.get()

    # The task as the worker would run it, had it waited in the queue.
    sent = tell_of_surge.call(alert_id=alert.pk, moderator_id=former.pk, minutes=15)

    assert sent == 0
    assert mailbox.envelopes == []


def test_an_appeal_gone_with_its_readers_account_mails_nobody_and_fails_no_task(
    appealable_removal, moderator, alice, mailbox
):
    appeals.file_appeal(appealable_removal, by=alice, text="I was quoting the mayor himself.")
    delete_account(alice, by=alice, keep_comments=True)

    run_worker()

    assert mailbox.envelopes == []
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
