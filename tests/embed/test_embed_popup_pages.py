"""The site's own login and registration pages, as the popup shows them."""

import re

from testkit import cast

NEXT = "/embed/signin/?origin=https%3A%2F%2Fnews.example.org"


def test_the_popup_login_page_is_the_sites_own(client, allowed_origin):
    popup = client.get(f"/embed/accounts/login/?next={NEXT}")
    site = client.get("/accounts/login/")
    assert popup.status_code == 200
    assert 'name="password"' in popup.content.decode()
    assert "Log in" in site.content.decode()
    assert popup["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert site["Cross-Origin-Opener-Policy"] == "same-origin"


def test_links_inside_the_popup_stay_inside_it(client, allowed_origin):
    html = client.get(f"/embed/accounts/login/?next={NEXT}").content.decode()
    account_links = re.findall(r'href="(/[^"]*accounts/[^"]*)"', html)
    assert account_links
    assert all(link.startswith("/embed/accounts/") for link in account_links), account_links


def test_logging_in_in_the_popup_returns_to_the_token_page(client, alice, allowed_origin):
    response = client.post(
        "/embed/accounts/login/",
        {"username": alice.email, "password": cast.PASSWORD, "next": NEXT},
    )
    assert response.status_code == 302
    assert response["Location"] == NEXT
    handoff = client.get(response["Location"])
    assert handoff.status_code == 200
    assert f'data-origin="{allowed_origin}"' in handoff.content.decode()


def test_the_sites_own_pages_keep_their_opener_policy(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/profile/")["Cross-Origin-Opener-Policy"] == "same-origin"


def test_registering_in_the_popup_returns_to_the_token_page(client, allowed_origin):
    response = client.post(
        "/embed/accounts/register/",
        {
            "email": "erin@example.com",
            "display_name": "Erin Reader",
            "password1": cast.PASSWORD,
            "password2": cast.PASSWORD,
            "accept_policies": "on",
            "next": NEXT,
        },
    )
    # Registering answers with the log-in form, still inside the popup.
    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="/embed/accounts/login/"' in page
    assert f'name="next" value="{NEXT}"' in page.replace("&amp;", "&")
    login = client.post(
        "/embed/accounts/login/",
        {"username": "erin@example.com", "password": cast.PASSWORD, "next": NEXT},
    )
    assert login["Location"] == NEXT
    handoff = client.get(NEXT)
    assert "data-token=" in handoff.content.decode()
    assert "Erin Reader" in handoff.content.decode()
