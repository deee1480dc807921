"""Log-in, registration, reset and claim requests are throttled per address
typed and per IP address, with 429, Retry-After and the typing kept."""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.models import User
from soundoff.lib.ratelimit import wait_text
from testkit.cast import PASSWORD
from testkit.pages import page_text

WRONG = "not the right password at all"


def _assert_throttled(response, *, window: int) -> str:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= window
    page = page_text(response)
    assert "Too many attempts." in page
    assert PASSWORD not in page and WRONG not in page
    return page


def _log_in(client: Client, email: str, password: str = WRONG):
    return client.post("/accounts/login/", {"username": email, "password": password, "next": ""})


def test_wrong_passwords_for_one_address_are_stopped_with_the_wait(
    client: Client, alice, settings
) -> None:
    settings.SOUNDOFF_LOGIN_RATE = "3/3600"
    for _ in range(3):
        assert _log_in(client, alice.email).status_code == 200

    refused = _log_in(client, alice.email, PASSWORD)

    page = _assert_throttled(refused, window=3600)
    assert f'value="{alice.email}"' in page
    assert f"wait {wait_text(int(refused['Retry-After']))} and try again" in page
    assert "_auth_user_id" not in client.session


def test_the_address_limit_holds_from_other_ips_and_spares_other_addresses(
    alice, bob, settings
) -> None:
    settings.SOUNDOFF_LOGIN_RATE = "2/3600"
    for ip in ("198.51.100.1", "198.51.100.2"):
        _log_in(Client(REMOTE_ADDR=ip), alice.email)

    assert _log_in(Client(REMOTE_ADDR="198.51.100.3"), alice.email).status_code == 429
    assert _log_in(Client(REMOTE_ADDR="198.51.100.3"), bob.email, PASSWORD).status_code == 302


def test_one_ip_trying_many_addresses_is_stopped(client: Client, alice, settings) -> None:
    settings.SOUNDOFF_IP_LOGIN_RATE = "3/3600"
    for n in range(3):
        _log_in(client, f"guess{n}@example.com")

    _assert_throttled(_log_in(client, alice.email, PASSWORD), window=3600)
    # Another client is not held back by this one.
    assert _log_in(Client(REMOTE_ADDR="198.51.100.9"), alice.email, PASSWORD).status_code == 302


def test_the_default_rates_stop_forty_wrong_passwords(client: Client, alice) -> None:
    statuses = [_log_in(client, alice.email).status_code for _ in range(40)]

    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}


def _register(client: Client, n: int):
    return client.post(
        "/accounts/register/",
        {
            "email": f"signup{n}@example.com",
            "display_name": f"Signup {n}",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_policies": "on",
        },
    )


def test_sign_ups_from_one_ip_are_stopped(client: Client, policies) -> None:
    # Twelve sign-ups from one address in two seconds used to go through.
    statuses = [_register(client, n).status_code for n in range(12)]

    assert statuses == [200] * 10 + [429] * 2
    refused = _register(client, 99)
    page = _assert_throttled(refused, window=3600)
    assert 'value="signup99@example.com"' in page
    assert 'value="Signup 99"' in page
    assert User.objects.filter(email__startswith="signup").count() == 10


def test_sign_ups_with_one_address_are_stopped(policies, settings) -> None:
    settings.SOUNDOFF_REGISTER_RATE = "1/3600"
    assert _register(Client(REMOTE_ADDR="198.51.100.1"), 1).status_code == 200

    assert _register(Client(REMOTE_ADDR="198.51.100.2"), 1).status_code == 429


def test_reset_requests_are_stopped_per_address_and_per_ip(client: Client, alice) -> None:
    # Fifteen reset mails in 0.3 seconds used to go out.
    statuses = [
        client.post("/accounts/password-reset/", {"email": alice.email}).status_code
        for _ in range(15)
    ]

    assert statuses == [302] * 3 + [429] * 12
    assert DBTaskResult.objects.count() == 3
    refused = client.post("/accounts/password-reset/", {"email": alice.email})
    assert f'value="{alice.email}"' in _assert_throttled(refused, window=3600)

    for n in range(7):
        client.post("/accounts/password-reset/", {"email": f"other{n}@example.com"})
    assert DBTaskResult.objects.count() == 10
    other = client.post("/accounts/password-reset/", {"email": "another@example.com"})
    assert other.status_code == 429


@pytest.mark.parametrize("limit", ["SOUNDOFF_CLAIM_RATE", "SOUNDOFF_IP_CLAIM_RATE"])
def test_claim_requests_are_stopped(client: Client, policies, settings, limit: str) -> None:
    setattr(settings, limit, "2/3600")
    for _ in range(2):
        sent = client.post("/accounts/claim/", {"email": "old@example.com"})
        assert sent.status_code == 200

    refused = client.post("/accounts/claim/", {"email": "old@example.com"})

    assert 'value="old@example.com"' in _assert_throttled(refused, window=3600)


def test_the_admin_log_in_is_held_to_the_same_limit(client: Client, operator, settings) -> None:
    settings.SOUNDOFF_LOGIN_RATE = "2/3600"
    for _ in range(2):
        client.post("/admin/login/", {"username": operator.email, "password": WRONG})

    refused = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})

    assert "Too many attempts." in page_text(refused)
    assert "_auth_user_id" not in client.session
