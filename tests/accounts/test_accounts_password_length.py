"""Every form that takes a password refuses one over 1,024 characters, before
hashing it, and shows Django's password validators' messages beside the field."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from soundoff.accounts.models import User
from testkit.cast import PASSWORD
from testkit.pages import page_text

LONGEST = ("horse battery staple " * 49)[:1024]
TOO_LONG = LONGEST + "x"
MEGABYTE = "p" * 1_048_576
LIMIT = "Passwords can have at most 1024 characters; this one has"
assert len(LONGEST) == 1024


def _register(client: Client, password: str):
    return client.post(
        "/accounts/register/",
        {
            "email": "carol@example.com",
            "display_name": "Carol Reader",
            "password1": password,
            "password2": password,
            "accept_policies": "on",
        },
    )


def test_registration_accepts_1024_characters(client: Client, policies) -> None:
    assert _register(client, LONGEST).status_code == 200
    assert User.objects.get(email="carol@example.com").check_password(LONGEST)


def test_registration_refuses_1025_characters_and_keeps_the_rest(client: Client, policies) -> None:
    response = _register(client, TOO_LONG)

    assert response.status_code == 400
    page = page_text(response)
    assert f"{LIMIT} 1025." in page
    assert 'value="carol@example.com"' in page and 'value="Carol Reader"' in page
    assert TOO_LONG not in page
    assert not User.objects.filter(email="carol@example.com").exists()


def test_log_in_refuses_a_megabyte_password_with_the_reason(client: Client, alice) -> None:
    response = client.post("/accounts/login/", {"username": alice.email, "password": MEGABYTE})

    assert response.status_code == 200
    page = page_text(response)
    assert f"{LIMIT} 1048576." in page
    assert f'value="{alice.email}"' in page
    assert "_auth_user_id" not in client.session


def test_changing_the_password_refuses_long_ones(client: Client, alice) -> None:
    client.force_login(alice)

    response = client.post(
        "/accounts/password/",
        {"old_password": MEGABYTE, "new_password1": TOO_LONG, "new_password2": TOO_LONG},
    )

    assert response.status_code == 200
    assert page_text(response).count(LIMIT) == 3
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("12345678901", "entirely numeric"),
        ("password123", "too common"),
        ("alice.reader.example", "too similar to the e-mail address"),
    ],
)
def test_changing_the_password_shows_each_validator(
    client: Client, policies, password: str, message: str
) -> None:
    reader = User.objects.create_user(
        "alice.reader.example@example.com", PASSWORD, display_name="Alice Example"
    )
    client.force_login(reader)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert password not in page_text(response)
    assert User.objects.get(pk=reader.pk).check_password(PASSWORD)


def test_a_reset_link_refuses_a_long_new_password(client: Client, alice) -> None:
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    link = f"/accounts/password-reset/{uid}/{default_token_generator.make_token(alice)}/"
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": TOO_LONG, "new_password2": TOO_LONG})

    assert response.status_code == 200
    assert f"{LIMIT} 1025." in page_text(response)
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/accounts/profile/email/", {"email": "alice.new@example.com"}),
        ("/accounts/profile/delete/", {"comments": "keep"}),
    ],
)
def test_the_profile_forms_asking_for_the_password_refuse_a_megabyte(
    client: Client, alice, url: str, fields: dict[str, str]
) -> None:
    client.force_login(alice)

    response = client.post(url, {**fields, "password": MEGABYTE})

    assert response.status_code == 400
    assert f"{LIMIT} 1048576." in page_text(response)
    assert User.objects.filter(pk=alice.pk, email=alice.email).exists()
