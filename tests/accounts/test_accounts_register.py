"""POST /accounts/register/: a reader account with its policies accepted, then log-in."""

import pytest
from django.test import Client

from soundoff.accounts.models import AvatarImage, PolicyAcceptance, User
from soundoff.accounts.queries import current_policies
from testkit.cast import PASSWORD
from testkit.pages import page_text

URL = "/accounts/register/"


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": "carol@example.com",
        "display_name": "Carol Reader",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_policies": "on",
        "next": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _post_refused(client: Client, message: str, **overrides: object):
    """Post the form with ``overrides`` and assert the refusal: status 400,
    the reason on the page, nothing written, the typing kept."""
    form = _form(**overrides)
    users_before = User.objects.count()

    response = client.post(URL, form)

    assert response.status_code == 400
    page = page_text(response)
    assert message in page
    assert User.objects.count() == users_before
    assert not AvatarImage.objects.exists()
    assert "_auth_user_id" not in response.wsgi_request.session
    assert f'value="{form["email"]}"' in page
    assert f'value="{form["display_name"]}"' in page
    # Passwords are never sent back into the page.
    assert PASSWORD not in page
    return response


def test_the_form_links_the_three_documents(client: Client, policies) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    page = page_text(response)
    for url in ('href="/terms/"', 'href="/rules/"', 'href="/privacy/"'):
        assert url in page


def test_it_registers_and_records_both_current_policies(client: Client, policies) -> None:
    response = client.post(URL, _form())

    # Not logged in: the answer must be the same as for an address that is
    # taken (see test_accounts_enumeration.py), so the reader logs in next,
    # on the same page, with the address filled in.
    assert response.status_code == 200
    page = page_text(response)
    assert "Thank you for registering" in page
    assert 'action="/accounts/login/"' in page
    assert 'value="carol@example.com"' in page
    assert PASSWORD not in page
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="carol@example.com")
    assert user.display_name == "Carol Reader"
    login = client.post(
        "/accounts/login/", {"username": "carol@example.com", "password": PASSWORD, "next": ""}
    )
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    accepted = PolicyAcceptance.objects.filter(user=user).select_related("document")
    current = current_policies()
    assert {a.document.kind for a in accepted} == {"terms", "privacy"}
    assert {a.document_id for a in accepted} == {doc.pk for doc in current.values()}


def test_it_hashes_the_password_with_argon2(client: Client, policies) -> None:
    client.post(URL, _form())

    user = User.objects.get(email="carol@example.com")
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_it_keeps_the_mailbox_part_and_lowercases_the_domain(client: Client, policies) -> None:
    client.post(URL, _form(email="Carol.R@Example.COM"))

    assert User.objects.filter(email="Carol.R@example.com").exists()


def test_it_cleans_invisible_characters_out_of_the_stored_name(client: Client, policies) -> None:
    client.post(URL, _form(display_name="  Carol\u200b   Reader "))

    assert User.objects.get(email="carol@example.com").display_name == "Carol Reader"


def test_it_stores_an_optional_picture_in_three_sizes(client: Client, policies, photo) -> None:
    response = client.post(URL, _form(avatar=photo()))

    assert response.status_code == 200
    user = User.objects.get(email="carol@example.com")
    assert user.avatar_digest
    images = AvatarImage.objects.filter(user=user)
    assert sorted(images.values_list("size", flat=True)) == [48, 96, 192]
    assert set(images.values_list("digest", flat=True)) == {user.avatar_digest}


def test_without_a_picture_it_uses_the_initials(client: Client, policies) -> None:
    client.post(URL, _form())

    user = User.objects.get(email="carol@example.com")
    assert user.avatar_digest == ""
    assert not AvatarImage.objects.exists()
    assert user.avatar_url().startswith(f"/avatars/{user.pk}/initials.svg?name=")


def test_logging_in_after_registering_goes_on_to_a_local_next_page(
    client: Client, policies
) -> None:
    response = client.post(URL, _form(next="/posts/water-main/#comments"))
    assert 'name="next" value="/posts/water-main/#comments"' in page_text(response)

    login = client.post(
        "/accounts/login/",
        {"username": "carol@example.com", "password": PASSWORD, "next": "/posts/water-main/"},
    )

    assert login["Location"] == "/posts/water-main/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_it_refuses_to_go_on_to_another_site(client: Client, policies, target: str) -> None:
    response = client.post(URL, _form(next=target))

    assert response.status_code == 200
    assert 'name="next" value=""' in page_text(response)


def test_a_logged_in_reader_is_sent_on(client: Client, alice) -> None:
    client.force_login(alice)
    users_before = User.objects.count()

    response = client.post(URL, _form())

    assert response.status_code == 302
    assert User.objects.count() == users_before


@pytest.mark.parametrize(
    "typed",
    [
        "Alice Reader",
        "alice reader",
        "ALICE READER",
        "\uff21\uff4c\uff49\uff43\uff45 Reader",  # fullwidth "Alice", NFKC-equal
        "alice\u200b reader",  # a zero-width space
        "Alice\u00a0Reader",  # a no-break space
        "Al\u00adice Reader",  # a soft hyphen
        "\u0410lice Reader",  # a Cyrillic capital A
        "\u0391lice Re\u0430der",  # a Greek Alpha and a Cyrillic a
    ],
)
def test_it_refuses_a_display_name_colliding_after_normalisation(
    client: Client, alice, typed: str
) -> None:
    _post_refused(client, "is already taken", display_name=typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("C", "at least 2 characters"),
        ("   C\u200b  ", "at least 2 characters"),
        ("C" * 41, "at most 40 characters"),
        ("!!", "at least one letter or digit"),
        ("Carol\x07Reader", "invisible control character"),
        ("Ca\u0300\u0301\u0302\u0303\u0304rol", "at most 3 accents or other marks on one letter"),
    ],
)
def test_it_refuses_an_unacceptable_display_name(
    client: Client, policies, typed: str, message: str
) -> None:
    response = client.post(URL, _form(display_name=typed))

    assert response.status_code == 400
    page = page_text(response)
    assert message in page
    assert 'value="carol@example.com"' in page
    assert not User.objects.filter(email="carol@example.com").exists()


def test_it_refuses_mismatched_passwords(client: Client, policies) -> None:
    _post_refused(client, "The two passwords differ", password2=PASSWORD + "!")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("12345678901", "entirely numeric"),
        ("password123", "too common"),
    ],
)
def test_it_refuses_a_weak_password(client: Client, policies, password: str, message: str) -> None:
    _post_refused(client, message, password1=password, password2=password)


def test_it_refuses_a_password_that_is_the_email_address(client: Client, policies) -> None:
    email = "carol.marchetti@example.com"

    _post_refused(
        client, "too similar to the e-mail address", email=email, password1=email, password2=email
    )


def test_it_refuses_registration_without_accepting_the_policies(client: Client, policies) -> None:
    _post_refused(
        client, "Accept the Terms and the Privacy Policy to register", accept_policies=None
    )
    assert not PolicyAcceptance.objects.filter(user__email="carol@example.com").exists()


def test_an_empty_post_is_refused_with_every_required_field_named(
    client: Client, policies
) -> None:
    # Browsers always send the CSRF token and "next"; a bare POST from a
    # script must still get errors, not a blank form with status 200.
    response = client.post(URL, {})

    assert response.status_code == 400
    assert page_text(response).count("This field is required.") >= 4
    assert not User.objects.filter(email="").exists()


def test_it_refuses_a_picture_over_the_size_limit(
    client: Client, policies, settings, photo
) -> None:
    settings.SOUNDOFF_AVATAR_MAX_BYTES = 500

    _post_refused(client, "That file is larger than 500 bytes", avatar=photo())


def test_it_refuses_a_file_that_is_not_a_picture(client: Client, policies, text_file) -> None:
    _post_refused(client, "That file isn't a JPEG, PNG, WebP or GIF picture", avatar=text_file())


def test_it_refuses_an_svg_picture(client: Client, policies, svg_file) -> None:
    response = _post_refused(
        client, "That file isn't a JPEG, PNG, WebP or GIF picture", avatar=svg_file()
    )
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("side", [5_000, 30_000])
def test_it_refuses_a_decompression_bomb(client: Client, policies, png_bomb, side: int) -> None:
    # 25 megapixels trips our limit; 900 trips Pillow's own bomb check first.
    _post_refused(client, "That picture is too large", avatar=png_bomb(side))


def test_it_refuses_a_picture_too_large_to_decode(client: Client, policies, png_bomb) -> None:
    # Within the pixel limit, but four bytes a pixel twice over: 128 MB.
    _post_refused(client, "That picture is too large to process", avatar=png_bomb(4_000, colour=6))


def test_a_picture_with_a_clashing_email_writes_nothing(client: Client, alice, photo) -> None:
    # The picture is valid and already processed when the clash is found.
    acceptances_before = PolicyAcceptance.objects.count()

    response = client.post(URL, _form(email=alice.email.upper(), avatar=photo()))

    assert response.status_code == 200
    assert User.objects.filter(email__iexact=alice.email).count() == 1
    assert not AvatarImage.objects.exists()
    assert PolicyAcceptance.objects.count() == acceptances_before


def test_the_form_asks_for_the_e_mail_and_name_before_the_password(client, policies):
    page = client.get("/accounts/register/").content.decode()
    order = [
        page.index(f'name="{name}"')
        for name in (
            "email",
            "display_name",
            "password1",
            "password2",
            "avatar",
            "accept_policies",
        )
    ]
    assert order == sorted(order)
