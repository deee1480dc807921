"""Signing in with the newsroom's accounts, end to end: real Chromium, the
live server, and a real OpenID Connect provider on loopback (the
``oidc_provider`` fixture in tests/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from soundoff.accounts.models import PolicyAcceptance, User
from soundoff.oidc.models import ProviderIdentity
from testkit import cast

pytestmark = pytest.mark.browser

ACCEPT = re.compile("I accept the Terms of Service")
CALLBACK = "/accounts/oidc/callback/"


@pytest.fixture
def callbacks(page):
    """The answers of Soundoff's callback, as (status, url), in order."""
    seen = []
    page.on(
        "response",
        lambda response: (
            seen.append((response.status, response.url)) if CALLBACK in response.url else None
        ),
    )
    return seen


def _page_problems(problems, oidc):
    """Console problems on Soundoff's pages. The test provider's pages are
    not ours (it has no favicon), and a refused sign-in answers 4xx on
    purpose, which the tests check through ``callbacks``."""
    return [
        message
        for message in problems.messages
        if not (
            message.startswith("console error: Failed to load resource")
            and (oidc.issuer in message or CALLBACK in message)
        )
    ]


def _sign_in_at_provider(page, account, *, consent=True):
    """From the log-in page: the button, then the provider's own pages."""
    page.get_by_role("link", name="Sign in with Ledger ID").click()
    expect(page.get_by_role("heading", name="Test provider: sign in")).to_be_visible()
    page.get_by_label("Account").fill(account)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("share your account"))).to_be_visible()
    page.get_by_role("button", name="Allow" if consent else "Deny").click()


def _open_log_in_from(page, url):
    page.goto(url)
    page.locator(".masthead").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_first_sign_in_creates_a_reader_and_later_ones_find_them(
    site, oidc, page, problems, callbacks
):
    oidc.set_account("ada-1", email="ada@example.org", email_verified=True, name="Ada Lovelace")
    post = cast.make_post(headline="Bridge reopens", slug="bridge")
    post_url = f"{site.url}{post.get_absolute_url()}"

    _open_log_in_from(page, post_url)
    _sign_in_at_provider(page, "ada-1")

    # Back on the post, signed in as a new reader named by the provider, who
    # still accepts the Terms and the Privacy Policy with the first comment.
    expect(page).to_have_url(post_url)
    expect(page.locator(".masthead__me")).to_contain_text("Ada Lovelace")
    expect(page.locator(".messages")).to_contain_text(
        "Welcome, Ada Lovelace. Everyone sees this name beside your comments; you can change "
        "it in your profile."
    )
    expect(page.get_by_label(ACCEPT)).to_be_visible()
    ada = User.objects.get(email="ada@example.org")
    assert ada.display_name == "Ada Lovelace"
    assert not ada.has_usable_password()
    assert not PolicyAcceptance.objects.filter(user=ada).exists()
    identity = ProviderIdentity.objects.get(user=ada)
    assert (identity.issuer, identity.subject) == (oidc.issuer, "ada-1")

    # The way back cannot be used twice.
    page.goto(callbacks[-1][1])
    expect(page.get_by_role("alert")).to_have_text(
        "This sign-in has expired or was already used, or it was started in another browser. "
        "Start again."
    )

    # Her address changes at the provider; the next sign-in (the provider
    # remembers her, so it asks nothing) is still the same reader.
    page.locator(".masthead").get_by_role("button", name="Log out").click()
    oidc.set_account("ada-1", email="ada.l@example.org", email_verified=True, name="Ada L.")
    _open_log_in_from(page, post_url)
    page.get_by_role("link", name="Sign in with Ledger ID").click()
    expect(page).to_have_url(post_url)
    expect(page.locator(".masthead__me")).to_contain_text("Ada Lovelace")
    expect(page.locator(".messages")).to_contain_text("Welcome back, Ada Lovelace.")
    assert User.objects.count() == 1
    assert ProviderIdentity.objects.get().user == ada
    assert [status for status, _ in callbacks] == [302, 400, 302]
    assert _page_problems(problems, oidc) == []


def test_a_verified_address_links_the_existing_reader(site, oidc, page, alice):
    oidc.set_account(
        "alice-1", email=alice.email.upper(), email_verified=True, name="Alice at the Ledger"
    )
    _open_log_in_from(page, site.url + "/")
    _sign_in_at_provider(page, "alice-1")

    expect(page.locator(".masthead__me")).to_contain_text("Alice Reader")
    assert ProviderIdentity.objects.get(subject="alice-1").user == alice
    assert User.objects.count() == 1
    alice.refresh_from_db()
    assert alice.check_password(cast.PASSWORD)


def test_an_unverified_address_does_not_take_over_a_reader(site, oidc, page, bob, callbacks):
    oidc.set_account("mallory-1", email=bob.email, email_verified=False, name="Bob Reader")
    _open_log_in_from(page, site.url + "/")
    _sign_in_at_provider(page, "mallory-1")

    expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Ledger ID has not confirmed an e-mail address for your account, so it can't be used "
        "to sign in here. Confirm your address there and try again, or log in with your "
        "e-mail address and password."
    )
    expect(page.locator(".masthead").get_by_role("link", name="Log in")).to_be_visible()
    assert [status for status, _ in callbacks] == [403]
    assert not ProviderIdentity.objects.exists()
    assert User.objects.count() == 1


def test_refused_consent_shows_a_clear_page(site, oidc, page, problems, callbacks):
    oidc.set_account("grace-1", email="grace@example.org", email_verified=True, name="Grace")
    _open_log_in_from(page, site.url + "/")
    _sign_in_at_provider(page, "grace-1", consent=False)

    expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "You did not allow Soundoff to use Ledger ID, so you are not signed in."
    )
    expect(page.get_by_role("link", name="Sign in with Ledger ID")).to_be_visible()
    assert [status for status, _ in callbacks] == [403]
    assert not User.objects.exists()
    assert _page_problems(problems, oidc) == []
