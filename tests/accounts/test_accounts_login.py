"""/accounts/login/ and /accounts/logout/: e-mail ignoring case; log-out by POST only."""

from html import unescape

import pytest
from django.test import Client

from testkit.cast import PASSWORD
from testkit.pages import page_text

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def _logged_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("transform", [str, str.upper, str.title])
def test_it_logs_in_by_email_ignoring_case(client: Client, alice, transform) -> None:
    response = client.post(LOGIN, {"username": transform(alice.email), "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in_as(client) == str(alice.pk)


def test_it_goes_on_to_the_local_next_page(client: Client, alice) -> None:
    response = client.post(
        LOGIN, {"username": alice.email, "password": PASSWORD, "next": "/posts/water-main/"}
    )

    assert response["Location"] == "/posts/water-main/"


def test_it_refuses_to_go_on_to_another_site(client: Client, alice) -> None:
    response = client.post(
        LOGIN, {"username": alice.email, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_refuses_a_wrong_password_and_keeps_the_typed_email(client: Client, alice) -> None:
    typed = alice.email.upper()

    response = client.post(LOGIN, {"username": typed, "password": PASSWORD + "x"})

    assert response.status_code == 200
    page = page_text(response)
    assert "Please enter a correct e-mail address and password" in page
    assert f'value="{typed}"' in page
    assert PASSWORD not in page
    assert _logged_in_as(client) is None


def test_an_unknown_email_gets_the_same_refusal_as_a_wrong_password(client: Client, alice) -> None:
    wrong_password = client.post(LOGIN, {"username": alice.email, "password": "nope nope"})
    unknown = client.post(LOGIN, {"username": "nobody@example.com", "password": "nope nope"})

    assert unknown.status_code == wrong_password.status_code == 200
    assert "Please enter a correct e-mail address" in unescape(unknown.content.decode())
    assert _logged_in_as(client) is None


def test_a_deactivated_reader_cannot_log_in(client: Client, alice) -> None:
    alice.is_active = False
    alice.save()

    response = client.post(LOGIN, {"username": alice.email, "password": PASSWORD})

    assert response.status_code == 200
    assert _logged_in_as(client) is None


def test_it_logs_out_by_post(client: Client, alice) -> None:
    client.force_login(alice)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in_as(client) is None


def test_a_get_does_not_log_out(client: Client, alice) -> None:
    # A GET can be triggered by any page embedding <img src=".../logout/">.
    client.force_login(alice)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert _logged_in_as(client) == str(alice.pk)


def test_every_page_offers_log_out_as_a_form_for_a_reader(client: Client, alice) -> None:
    client.force_login(alice)

    page = client.get("/terms/").content.decode()

    assert '<form method="post" action="/accounts/logout/"' in page
