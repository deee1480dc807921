"""/accounts/password-reset/: a link by e-mail, sent by the task worker over real SMTP."""

import email
import email.policy
import re
from html import unescape

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.models import User
from testkit.cast import PASSWORD, run_worker
from testkit.pages import page_text

URL = "/accounts/password-reset/"
NEW_PASSWORD = "a brand new passphrase, 2024"
LINK = re.compile(r"https?://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _body(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_it_mails_a_link_that_sets_a_new_password(client: Client, alice, mailbox) -> None:
    response = client.post(URL, {"email": alice.email})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mailbox.envelopes == []  # nothing is sent inside the request

    run_worker()

    assert [e.rcpt_tos for e in mailbox.envelopes] == [[alice.email]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    message = mailbox.messages[0]
    assert message["To"] == alice.email
    assert message["Subject"] == "Reset your password on Soundoff"
    body = _body(message)
    assert "on Soundoff." in body
    match = LINK.search(body)
    assert match, body

    form_page = client.get(match.group(1), follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    assert "set-password" in set_password_url
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password-reset/done/"

    fresh = Client()
    assert fresh.login(username=alice.email, password=NEW_PASSWORD)
    assert not Client().login(username=alice.email, password=PASSWORD)
    login = Client().post(
        "/accounts/login/", {"username": alice.email.upper(), "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert User.objects.get(pk=alice.pk).password.startswith("argon2")


def test_the_link_works_once(client: Client, alice, mailbox) -> None:
    client.post(URL, {"email": alice.email})
    run_worker()
    link = LINK.search(_body(mailbox.messages[0])).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)

    assert "This reset link has expired or was already used." in unescape(again.content.decode())
    assert 'name="new_password1"' not in again.content.decode()


def test_a_weak_new_password_is_refused(client: Client, alice, mailbox) -> None:
    client.post(URL, {"email": alice.email})
    run_worker()
    link = LINK.search(_body(mailbox.messages[0])).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200
    assert "too short" in page_text(response)
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


def test_the_address_is_matched_ignoring_case(client: Client, alice, mailbox) -> None:
    client.post(URL, {"email": alice.email.upper()})
    run_worker()

    assert [e.rcpt_tos for e in mailbox.envelopes] == [[alice.email]]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client: Client, alice, mailbox
) -> None:
    known = client.post(URL, {"email": alice.email}, follow=True)
    unknown = client.post(URL, {"email": "nobody@example.com"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    assert "Check your e-mail" in unknown.content.decode()
    assert unknown.content == known.content
    # Each request only hands the address to the worker, which looks it up:
    # the same work, and so the same time, whether or not it is registered.
    assert DBTaskResult.objects.count() == 2

    run_worker()

    assert [e.rcpt_tos for e in mailbox.envelopes] == [[alice.email]]


def test_a_deactivated_reader_gets_no_mail(client: Client, alice, mailbox) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)

    response = client.post(URL, {"email": alice.email})
    run_worker()

    assert response.status_code == 302
    assert mailbox.envelopes == []
