"""Reply e-mails: opted in on the profile, written by the real task worker,
sent over real SMTP (the ``mailbox`` fixture), stopped by a signed link."""

import email.message
import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from soundoff.discussion.models import DiscussionMode
from soundoff.discussion.services import post_comment
from soundoff.moderation.decisions import approve_comment
from soundoff.moderation.sanctions import ban_user
from soundoff.notifications.links import MAX_AGE, SALT
from soundoff.notifications.models import MutedThread, PendingReply, ReplyMailOptIn
from testkit.cast import CLIENT, make_post, make_reader, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STOP = re.compile(r"http://testserver(/notifications/stop/[^\s>]+/)")


def _opt_in(user) -> None:
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/profile/", {"action": "reply-mail", "reply_mail": "on"})
    assert response.status_code == 302


def _comment(thread, author, body, parent=None):
    return post_comment(thread, author=author, body=body, client=CLIENT, parent=parent).comment


def _body(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _stop_path(message: email.message.EmailMessage) -> str:
    """The one-click link of the List-Unsubscribe header."""
    return STOP.search(message["List-Unsubscribe"]).group(1)


def _mute_path(message: email.message.EmailMessage) -> str:
    line = next(line for line in _body(message).splitlines() if "this discussion" in line)
    return STOP.search(line).group(1)


def _first_mail(alice, bob, thread, mailbox):
    """Alice wants reply e-mails, Bob replies to her, the worker mails her:
    her comment and the mail."""
    _opt_in(alice)
    parent = _comment(thread, alice, "The pipes downtown are a century old.")
    _comment(thread, bob, "Ours were replaced last year.", parent=parent)
    run_worker()
    [message] = mailbox.messages
    return parent, message


def test_reply_mail_is_off_by_default(client: Client, alice, bob, thread, mailbox) -> None:
    client.force_login(alice)
    page = client.get("/accounts/profile/").content.decode()
    assert 'name="reply_mail"' in page and "checked" not in page.split('name="reply_mail"')[1][:40]
    parent = _comment(thread, alice, "The pipes downtown are a century old.")
    _comment(thread, bob, "Ours were replaced last year.", parent=parent)
    run_worker()

    assert mailbox.envelopes == []
    assert not PendingReply.objects.exists()


def test_several_replies_make_one_plain_text_mail(alice, bob, thread, mailbox) -> None:
    carol = make_reader("Carol Reader")
    _opt_in(alice)
    parent = _comment(thread, alice, "The pipes downtown are a century old.")
    _comment(
        thread,
        bob,
        "**Ours** were <b>replaced</b> [last year](https://example.org/x).",
        parent=parent,
    )
    _comment(thread, carol, "Same on Elm Street.", parent=parent)
    _comment(thread, alice, "Thanks, both of you.", parent=parent)  # her own: not news to her
    assert mailbox.envelopes == []  # nothing is sent by the request
    run_worker()

    assert [e.rcpt_tos for e in mailbox.envelopes] == [[alice.email]]
    message = mailbox.messages[0]
    assert message["Subject"] == "2 replies to your comments on “Water main breaks downtown”"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http://testserver/notifications/stop/")
    assert message["Auto-Submitted"] == "auto-generated"
    assert [part.get_content_type() for part in message.walk()] == ["text/plain"]
    body = _body(message)
    # The reply as text: Markdown's emphasis gone, the typed tag shown as
    # typed, never as HTML from the site's renderer.
    assert "Ours were <b>replaced</b> last year." in body
    assert "<strong>" not in body and "<a " not in body and "**" not in body
    assert "Carol Reader wrote:" in body and "Same on Elm Street." in body
    assert "Thanks, both of you." not in body
    assert body.count("http://testserver/comments/") == 2
    # The tasks of the later replies found them mailed and left nothing behind.
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_later_reply_waits_for_the_window(alice, bob, thread, mailbox, settings) -> None:
    settings.SOUNDOFF_NOTIFY_WINDOW = 600
    parent, _message = _first_mail(alice, bob, thread, mailbox)
    _comment(thread, bob, "And the year before, the mains.", parent=parent)
    run_worker()

    assert len(mailbox.envelopes) == 1  # the second waits for the window
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after > timezone.now() + timedelta(seconds=500)

    # The window passes (the first mail and the task's time move back by it):
    # the waiting task mails only what is new.
    PendingReply.objects.exclude(sent_at=None).update(sent_at=timezone.now() - timedelta(hours=1))
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_worker()
    assert len(mailbox.envelopes) == 2
    body = _body(mailbox.messages[1])
    assert "And the year before, the mains." in body
    assert "Ours were replaced last year." not in body


def test_muting_from_the_post_page_stops_the_mail(
    client: Client, alice, bob, post, mailbox
) -> None:
    _opt_in(alice)
    client.force_login(alice)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f"/notifications/threads/{post.thread.pk}/mute/" in page
    response = client.post(f"/notifications/threads/{post.thread.pk}/mute/", {"muted": "1"})
    assert response.status_code == 302
    assert (
        "E-mail me about replies in this discussion again"
        in client.get(post.get_absolute_url()).content.decode()
    )

    parent = _comment(post.thread, alice, "The pipes downtown are a century old.")
    _comment(post.thread, bob, "Ours were replaced last year.", parent=parent)
    run_worker()
    assert mailbox.envelopes == []


def test_the_mute_link_in_the_mail_asks_then_mutes(alice, bob, thread, mailbox) -> None:
    parent, message = _first_mail(alice, bob, thread, mailbox)
    path = _mute_path(message)
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(path)  # a mail scanner following the link
    assert page.status_code == 200
    assert "Mute this discussion" in page.content.decode()
    assert not MutedThread.objects.exists()

    done = anonymous.post(path)
    assert done.status_code == 200
    assert "no more e-mails about replies in this discussion" in done.content.decode()
    assert MutedThread.objects.filter(user=alice, thread=thread).exists()
    _comment(thread, bob, "And the year before, the mains.", parent=parent)
    run_worker()
    assert len(mailbox.envelopes) == 1


def test_one_click_unsubscribe_works_without_a_session(alice, bob, thread, mailbox) -> None:
    parent, message = _first_mail(alice, bob, thread, mailbox)
    path = _stop_path(message)
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(path).status_code == 200
    assert ReplyMailOptIn.objects.filter(user=alice).exists()  # GET changes nothing
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "no more e-mails about replies." in response.content.decode()
    assert not ReplyMailOptIn.objects.filter(user=alice).exists()
    _comment(thread, bob, "And the year before, the mains.", parent=parent)
    run_worker()
    assert len(mailbox.envelopes) == 1


class _SignedLongAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - MAX_AGE - 60)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("not-a-token", "This link is not valid"),
        (signing.TimestampSigner(salt="another.link").sign_object({"user": 1}), "not valid"),
        (_SignedLongAgo(salt=SALT).sign_object({"user": 1, "thread": None}), "has expired"),
    ],
)
def test_a_bad_or_expired_link_says_so_and_changes_nothing(alice, token, reason) -> None:
    _opt_in(alice)
    token = token.replace('"user": 1', f'"user": {alice.pk}')
    response = Client(enforce_csrf_checks=True).post(f"/notifications/stop/{token}/")

    assert response.status_code == 400
    text = response.content.decode()
    assert reason in text and "Nothing was changed." in text
    assert ReplyMailOptIn.objects.filter(user=alice).exists()


def test_a_held_reply_is_mailed_once_approved(alice, bob, moderator, mailbox) -> None:
    thread = make_post(discussion=DiscussionMode.PREMODERATED).thread
    _opt_in(alice)
    parent = approve_comment(_comment(thread, alice, "The pipes are old."), by=moderator)
    reply = _comment(thread, bob, "Ours were replaced last year.", parent=parent)
    run_worker()
    assert mailbox.envelopes == []

    approve_comment(reply, by=moderator)
    run_worker()
    assert [e.rcpt_tos for e in mailbox.envelopes] == [[alice.email]]
    assert "Ours were replaced last year." in _body(mailbox.messages[0])


def test_a_reply_by_a_reader_banned_since_is_not_mailed(
    alice, bob, thread, moderator, mailbox
) -> None:
    _opt_in(alice)
    parent = _comment(thread, alice, "The pipes downtown are a century old.")
    _comment(thread, bob, "Ours were replaced last year.", parent=parent)
    ban_user(bob, by=moderator)
    run_worker()

    # Bob hears of his ban; Alice gets no reply mail.
    assert [(m["To"], m["Subject"]) for m in mailbox.messages] == [
        (bob.email, "Your account is banned from commenting")
    ]
    assert not PendingReply.objects.exists()


def test_an_unconfirmed_or_banned_reader_is_not_mailed(
    alice, bob, thread, moderator, mailbox
) -> None:
    _opt_in(alice)
    _opt_in(bob)
    carol = make_reader("Carol Reader")
    for reader in (alice, bob):
        parent = _comment(thread, reader, f"A point by {reader.display_name}.")
        _comment(thread, carol, f"A reply to {reader.display_name}.", parent=parent)
    type(alice).objects.filter(pk=alice.pk).update(email_verified_at=None)
    ban_user(bob, by=moderator)
    run_worker()

    # Only the notice of Bob's ban: no reply mail to either.
    assert [(m["To"], m["Subject"]) for m in mailbox.messages] == [
        (bob.email, "Your account is banned from commenting")
    ]


def test_the_settings_are_in_the_readers_data(alice, thread) -> None:
    _opt_in(alice)
    client = Client()
    client.force_login(alice)
    client.post(f"/notifications/threads/{thread.pk}/mute/", {"muted": "1"})

    settings = client.get("/accounts/profile/data/").json()["reply_emails"]
    assert settings["on_since"] is not None
    assert [m["discussion"] for m in settings["muted_discussions"]] == [thread.pk]


def test_turning_reply_mail_off_on_the_profile(alice) -> None:
    _opt_in(alice)
    client = Client()
    client.force_login(alice)
    assert (
        "checked"
        in client.get("/accounts/profile/").content.decode().split('name="reply_mail"')[1][:40]
    )

    response = client.post("/accounts/profile/", {"action": "reply-mail"}, follow=True)
    assert "We will not e-mail you about replies any more." in response.content.decode()
    assert not ReplyMailOptIn.objects.filter(user=alice).exists()


def test_muting_needs_a_signed_in_reader(client: Client, thread) -> None:
    response = client.post(f"/notifications/threads/{thread.pk}/mute/", {"muted": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not MutedThread.objects.exists()
