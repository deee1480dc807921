"""The e-mails that tell readers about decisions about them, sent by the
real task worker to a real SMTP server: each with the moderators' Reply-To,
the comment quoted, and the appeal link where there is one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.rights.deletion import delete_account
from soundoff.discussion.models import CommentStatus
from soundoff.discussion.services import post_comment
from soundoff.lib.dateline import date_line
from soundoff.moderation import appeals
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.moderation.models import ActionKind, ModerationAction, Sanction
from soundoff.moderation.sanctions import ban_user, suspend_user
from testkit.cast import CLIENT, make_reader, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPLY_TO = "Ledger moderators <moderators@example.org>"


@pytest.fixture(autouse=True)
def reply_to(settings):
    settings.SOUNDOFF_MODERATION_REPLY_TO = REPLY_TO
    settings.SOUNDOFF_SITE_URL = "https://news.example.org"


def _post(thread, author, body):
    return post_comment(thread, author=author, body=body, client=CLIENT).comment


def test_a_suspension_mail_names_the_rule_the_end_and_the_appeal(alice, moderator, rule, mailbox):
    suspend_user(alice, by=moderator, duration=timedelta(days=3), rule=rule)
    run_worker()
    [message] = mailbox.messages
    sanction = Sanction.objects.get(user=alice)
    body = message.get_content()
    assert (message["To"], message["Reply-To"]) == (alice.email, REPLY_TO)
    assert message["Subject"] == "Your account is suspended from commenting"
    assert "Rule 2 of our Rules of Conduct" in body

    assert date_line(sanction.ends_at) in body
    assert f"https://news.example.org/appeals/{sanction.decision_id}/" in body


def test_a_ban_mail_says_permanent(alice, moderator, mailbox):
    ban_user(alice, by=moderator)
    run_worker()
    [message] = mailbox.messages
    assert message["Subject"] == "Your account is banned from commenting"
    assert "permanent" in message.get_content()


def test_a_comment_withheld_by_reports_is_marked_and_its_author_mailed_once(
    alice, thread, settings, mailbox, client
):
    settings.SOUNDOFF_FLAG_THRESHOLD = 2
    first = _post(thread, alice, "The council *hid* the report.")
    second = _post(thread, alice, "And the budget too.")
    reporters = [make_reader(f"Reporter {n}") for n in range(2)]
    for comment in (first, second):
        for reporter in reporters:
            flag_comment(comment, by=reporter, explanation="Rude")
    first.refresh_from_db()
    assert (first.status, first.held_reason) == (CommentStatus.HELD, "flags")
    run_worker()
    # Two holds in a moment make one mail, listing both.
    [message] = mailbox.messages
    body = message.get_content()
    assert message["Subject"] == "Your comment is waiting for a moderator"
    assert message["Reply-To"] == REPLY_TO
    assert "The council hid the report." in body  # plain text of the sanitized HTML
    assert "And the budget too." in body
    assert f"https://news.example.org{first.get_absolute_url()}" in body
    # The author sees the mark on the post page; other readers see nothing.
    client.force_login(alice)
    page = client.get(thread.post.get_absolute_url()).content.decode()
    assert "Your comments waiting for a moderator" in page
    assert "Waiting for a moderator: only you can see this comment" in page
    client.force_login(reporters[0])
    assert "The council" not in client.get(thread.post.get_absolute_url()).content.decode()
    # The reports are in the log, by their readers.
    assert ModerationAction.objects.filter(action=ActionKind.REPORTED).count() == 4


def test_a_granted_appeal_restores_the_comment_and_tells_the_reader(
    alice, thread, moderator, rule, mailbox
):
    comment = _post(thread, alice, "The mayor is a clown.")
    remove_comment(comment, by=moderator, rule=rule)
    run_worker()
    [removed] = mailbox.messages
    assert "The mayor is a clown." in removed.get_content()
    decision = ModerationAction.objects.get(action=ActionKind.REMOVED)
    appeal = appeals.file_appeal(decision, by=alice, text="It was a quote.")
    appeals.decide_appeal(appeal, by=moderator, grant=True, answer="Fair: it was a quote.")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert ModerationAction.objects.filter(action=ActionKind.RESTORED, actor=moderator).exists()
    granted = ModerationAction.objects.get(action=ActionKind.APPEAL_OVERTURNED)
    assert (granted.actor, granted.user, granted.note) == (
        moderator,
        alice,
        "Fair: it was a quote.",
    )
    run_worker()
    message = mailbox.messages[-1]
    assert (message["Subject"], message["Reply-To"]) == ("Your appeal was granted", REPLY_TO)
    body = message.get_content()
    assert "Fair: it was a quote." in body
    assert "https://news.example.org" + reverse("appeals:mine") in body


def test_an_unconfirmed_address_is_not_mailed(moderator, mailbox):
    stranger = make_reader("Not Confirmed", verified=False, email="victim@example.org")
    ban_user(stranger, by=moderator)
    run_worker()
    assert mailbox.messages == []


def test_a_reader_who_deletes_their_account_before_the_mail_goes_is_not_looked_for(
    alice, thread, moderator, rule, mailbox
):
    comment = _post(thread, alice, "The mayor is a clown.")
    remove_comment(comment, by=moderator, rule=rule)
    run_worker()
    decision = ModerationAction.objects.get(action=ActionKind.REMOVED)
    appeal = appeals.file_appeal(decision, by=alice, text="It was a quote.")
    appeals.decide_appeal(appeal, by=moderator, grant=False, answer="It was not.")
    suspend_user(alice, by=moderator, duration=timedelta(days=3), rule=rule)
    mailbox.envelopes.clear()
    # Her sanction and her appeal go with her account, before the worker
    # comes to the mails about them.
    delete_account(alice, by=alice, keep_comments=True)

    run_worker()

    assert mailbox.envelopes == []
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
