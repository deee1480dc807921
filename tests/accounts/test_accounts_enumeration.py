"""Registering tells nobody which addresses have accounts here.

A new address, a reader's address and an address with imported comments get
the same page, byte for byte apart from the CSRF token; the owner of a taken
address hears about it by e-mail, sent by the real task worker. (The reset
page's twin of this is in test_accounts_password_reset.py.)
"""

import re

import pytest
from django.core import mail
from django.test import Client

from soundoff.accounts.models import User
from testkit.cast import PASSWORD, make_reader, run_worker

URL = "/accounts/register/"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
CLAIM_LINK = re.compile(r"http://testserver/accounts/claim/confirm/\?token=\S+")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _register(email: str, display_name: str) -> tuple[int, bytes, dict[str, str], set[str]]:
    """Register from a fresh browser; the answer as an observer could compare it."""
    response = Client().post(
        URL,
        {
            "email": email,
            "display_name": display_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_policies": "on",
            "next": "/posts/bridge/",
        },
    )
    headers = {name: value for name, value in response.items() if name != "Set-Cookie"}
    return (
        response.status_code,
        CSRF.sub(b"", response.content),
        headers,
        set(response.cookies),
    )


def test_a_readers_address_answers_as_a_new_one_and_tells_the_reader(policies) -> None:
    new = _register("dora@example.com", "Dora Explorer")
    run_worker()
    # A new account gets the link that confirms its address, no warning.
    [confirming] = mail.outbox
    assert "/accounts/email/confirm/" in confirming.body
    mail.outbox.clear()

    taken = _register("dora@example.com", "Someone Else")

    assert new == taken
    assert new[0] == 200
    assert b"Thank you for registering" in new[1]
    assert "sessionid" not in new[3]  # nobody is logged in, either way
    assert User.objects.filter(email__iexact="dora@example.com").count() == 1
    assert not User.objects.filter(display_name="Someone Else").exists()
    assert mail.outbox == []  # nothing is sent inside the request

    run_worker()

    [message] = mail.outbox
    assert message.to == ["dora@example.com"]
    assert message.subject == "Someone tried to register with your address on Soundoff"
    assert "If it was you, you don't need a new account." in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert "http://testserver/accounts/password-reset/" in message.body


def test_an_address_with_imported_comments_answers_as_a_new_one_and_gets_the_claim_link(
    policies,
) -> None:
    identity = User.objects.create_user(
        "ann@example.com", None, display_name="Ann From Before", is_claimed=False
    )

    imported = _register("ann@example.com", "Ann Again")
    run_worker()

    [message] = mail.outbox
    assert message.to == ["ann@example.com"]
    assert CLAIM_LINK.search(message.body), message.body
    assert User.objects.get(email="ann@example.com").pk == identity.pk
    assert not User.objects.get(pk=identity.pk).is_claimed

    # The same address once nothing waits under it: a new account, the same page.
    identity.delete()
    new = _register("ann@example.com", "Ann Again")

    assert imported == new
    assert User.objects.get(email="ann@example.com").is_claimed


def test_a_taken_address_does_not_answer_faster_by_skipping_the_hash(policies) -> None:
    # Not a timing test: the stored hash proves the new account's password was
    # hashed, and the taken address's attempt leaves the owner's hash alone.
    owner = make_reader(email="erin@example.com")
    stored = owner.password

    _register("erin@example.com", "Erin Twin")

    owner.refresh_from_db()
    assert owner.password == stored
    assert owner.check_password(PASSWORD)
