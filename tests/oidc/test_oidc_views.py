"""The sign-in pages through the test client, against the real test provider
(the ``oidc`` fixture in tests/conftest.py) where the provider takes part."""

import socket
from urllib.parse import parse_qs, urlsplit

import pytest

from soundoff.accounts.models import User

START = "/accounts/oidc/start/"
CALLBACK = "/accounts/oidc/callback/"


def _start(client, next_url="/posts/2025/07/bridge/"):
    response = client.get(START, {"next": next_url})
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)


def test_without_settings_there_is_no_button_and_no_sign_in(client, policies):
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "c", "state": "s"}).status_code == 404


def test_the_log_in_page_offers_the_provider_with_the_next_page(client, oidc):
    page = client.get("/accounts/login/", {"next": "/posts/2025/07/bridge/"})

    assert (
        f'href="{START}?next=/posts/2025/07/bridge/">Sign in with Ledger ID</a>'
        in page.content.decode()
    )


def test_start_sends_the_browser_with_state_nonce_and_a_pkce_challenge(client, oidc):
    response = client.get(START, {"next": "/posts/2025/07/bridge/"})

    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == oidc.issuer
    query = parse_qs(location.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [oidc.client_id]
    assert query["redirect_uri"] == ["http://testserver" + CALLBACK]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert "no-cache" in response["Cache-Control"]
    assert client.session["oidc_next"] == "/posts/2025/07/bridge/"


def test_start_keeps_no_next_page_on_another_site(client, oidc):
    _start(client, next_url="https://elsewhere.example/")

    assert client.session["oidc_next"] == "/"


def test_a_forged_state_gets_a_clear_page(client, oidc):
    _start(client)

    response = client.get(CALLBACK, {"code": "anything", "state": "forged"})

    assert response.status_code == 400
    assert "This sign-in has expired or was already used" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_the_provider_refuses_gets_a_clear_page(client, oidc):
    state = _start(client)["state"][0]

    # The provider's token endpoint itself says no to this code.
    response = client.get(CALLBACK, {"code": "not-a-code-it-issued", "state": state})

    assert response.status_code == 400
    assert "This sign-in with Ledger ID was not accepted; it may have expired." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # The state is spent: the same answer cannot be tried again.
    again = client.get(CALLBACK, {"code": "not-a-code-it-issued", "state": state})
    assert "This sign-in has expired or was already used" in again.content.decode()


def test_an_answer_naming_another_issuer_is_refused(client, oidc):
    state = _start(client)["state"][0]

    response = client.get(
        CALLBACK, {"code": "c", "state": state, "iss": "https://impostor.example"}
    )

    assert response.status_code == 400
    assert "The answer from Ledger ID could not be verified" in response.content.decode()


def test_a_provider_error_is_told_without_the_text_in_the_address(client, oidc):
    _start(client)

    response = client.get(
        CALLBACK,
        {"error": "server_error", "error_description": "Call 555-0100 to restore your account"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Signing in with Ledger ID did not work. Start again." in content
    assert "Call 555-0100 to restore" not in content
    # The way to try again keeps the page the reader was going to.
    assert f'href="{START}?next=/posts/2025/07/bridge/"' in content


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_provider_gets_a_clear_page(client, policies, settings, closed_port):
    settings.SOUNDOFF_OIDC_ISSUER = f"http://127.0.0.1:{closed_port}"
    settings.SOUNDOFF_OIDC_CLIENT_ID = "soundoff"
    settings.SOUNDOFF_OIDC_CLIENT_SECRET = "secret"

    response = client.get(START)

    assert response.status_code == 502
    assert "Signing in with your newsroom account is not working at the moment." in (
        response.content.decode()
    )
    assert not User.objects.exists()
