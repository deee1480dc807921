"""The sign-in pages through the test client, against the real test provider
(the ``oidc`` fixture in tests/conftest.py) where the provider takes part."""

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from soundoff.accounts.models import User
from testkit.servers import free_port

START = "/accounts/oidc/start/"
CALLBACK = "/accounts/oidc/callback/"


def _start(client, next_url="/posts/2025/07/bridge/"):
    response = client.get(START, {"next": next_url})
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)


def _follow(browser, answer, oidc):
    """Follow the provider's redirects; return its page, or the address it
    sends the browser to on Soundoff."""
    while answer.is_redirect:
        location = urljoin(answer.url, answer.headers["Location"])
        if not location.startswith(oidc.issuer + "/"):
            return location
        answer = browser.get(location, allow_redirects=False)
    return answer


def _sign_in_through_provider(client, oidc, account):
    """The whole round trip, with a plain HTTP session at the provider's own
    pages (as a browser would) and the test client at Soundoff's."""
    browser = requests.Session()
    start = client.get(START)["Location"]
    login = _follow(browser, browser.get(start, allow_redirects=False), oidc)
    answer = browser.post(f"{login.url}/login", {"account": account}, allow_redirects=False)
    consent = _follow(browser, answer, oidc)
    back = _follow(browser, browser.post(f"{consent.url}/consent", allow_redirects=False), oidc)
    return client.get(back)


def test_the_whole_round_trip_signs_a_new_reader_in(client, oidc):
    oidc.set_account("lin-1", email="lin@example.org", email_verified=True, name="Lin Reporter")

    response = _sign_in_through_provider(client, oidc, "lin-1")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="lin@example.org").pk


def test_an_address_no_account_can_hold_counts_as_none(client, oidc):
    address = "x" * 250 + "@example.org"
    oidc.set_account("long-mail", email=address, email_verified=True, name="Long Address")

    response = _sign_in_through_provider(client, oidc, "long-mail")

    assert response.status_code == 403
    assert "has not confirmed an e-mail address" in response.content.decode()
    assert not User.objects.exists()


def test_a_subject_longer_than_the_standard_allows_is_refused(client, oidc):
    subject = "s" * 256
    oidc.set_account(subject, email="s@example.org", email_verified=True, name="Long Subject")

    response = _sign_in_through_provider(client, oidc, subject)

    assert response.status_code == 400
    assert "The answer from Ledger ID could not be verified" in response.content.decode()
    assert not User.objects.exists()


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
    return free_port()  # free, so nothing listens on it


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
