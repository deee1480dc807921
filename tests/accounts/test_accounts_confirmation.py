"""Confirming an address: on registration, before the first comment, on a
change of address; the links, their refusals, and the setting that turns
the requirement off."""

import re
from urllib.parse import unquote

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from soundoff.accounts import confirmation
from soundoff.accounts.models import User
from soundoff.discussion.models import Comment
from testkit.cast import PASSWORD, make_reader
from testkit.pages import page_text

LINK = re.compile(r"http://testserver(/accounts/email/confirm/\?token=\S+)")
NOT_CONFIRMED = "Before your first comment, please confirm your e-mail address"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def unconfirmed(policies) -> User:
    return make_reader("Una Confirmed", verified=False, email="una@example.com")


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def _token(message) -> str:
    return unquote(_link(message).split("token=")[1])


def _register(client: Client, capture, email: str = "carol@example.com", *, confirm_first=True):
    with capture(execute=True):
        response = client.post(
            "/accounts/register/",
            {
                "email": email,
                "display_name": email.split("@")[0].title(),
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_policies": "on",
            },
            follow=True,
        )
    # Registering doesn't log in (the page is the same for a taken address);
    # it says whether a link must be opened first, and the reader logs in.
    page = page_text(response)
    assert "Thank you for registering" in page
    assert ("Before your first comment, open the link" in page) is confirm_first
    assert client.login(username=email, password=PASSWORD)
    return User.objects.get(email=email)


def _comment(client: Client, post, body: str, **extra: str):
    return client.post(
        reverse("discussion:post_comment", args=[post.slug]), {"body": body, **extra}
    )


def test_a_new_reader_confirms_by_the_mailed_link_before_commenting(
    client: Client, post, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    carol = _register(client, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["carol@example.com"]
    assert carol.email_verified_at is None

    refused = _comment(client, post, "Is the water safe?")
    assert refused.status_code == 403
    page = page_text(refused)
    assert NOT_CONFIRMED in page
    assert "Is the water safe?</textarea>" in page
    assert 'value="send-confirmation"' in page
    assert not Comment.objects.exists()

    link = _link(message)
    # Opening the link only shows a button: a mail scanner confirms nothing.
    assert "Confirm my address" in page_text(client.get(link))
    carol.refresh_from_db()
    assert carol.email_verified_at is None
    token = _token(message)
    response = client.post(reverse("accounts:confirm_email"), {"token": token}, follow=True)
    assert "your e-mail address is confirmed" in page_text(response)
    carol.refresh_from_db()
    assert carol.email_verified_at is not None

    assert _comment(client, post, "Is the water safe?").status_code == 303
    assert Comment.objects.get().author == carol


def test_send_the_link_again_from_the_comment_form_keeps_the_text(
    client: Client, unconfirmed, post, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    client.force_login(unconfirmed)
    assert 'value="send-confirmation"' in page_text(client.get(post.get_absolute_url()))
    with django_capture_on_commit_callbacks(execute=True):
        response = _comment(client, post, "Kept, *please*.", action="send-confirmation")
    assert response.status_code == 200
    page = page_text(response)
    assert "We sent a new link to your e-mail address" in page
    assert "Kept, *please*.</textarea>" in page
    assert [m.to for m in mail.outbox] == [["una@example.com"]]
    assert not Comment.objects.exists()


def test_links_are_limited_per_hour(client: Client, unconfirmed, tasks_at_once) -> None:
    client.force_login(unconfirmed)
    for _attempt in range(confirmation.LINK_RATE.limit):
        client.post(reverse("accounts:send_confirmation"))
    response = client.post(reverse("accounts:send_confirmation"), follow=True)
    assert "You asked for several links in the last hour" in page_text(response)


def test_a_confirmed_reader_is_not_offered_a_link(client: Client, alice, post) -> None:
    client.force_login(alice)
    assert 'value="send-confirmation"' not in page_text(client.get(post.get_absolute_url()))
    response = client.post(reverse("accounts:send_confirmation"), follow=True)
    assert "Your e-mail address is confirmed already" in page_text(response)


def test_the_setting_turns_the_requirement_off(
    client: Client, settings, post, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    settings.SOUNDOFF_REQUIRE_VERIFIED_EMAIL = False
    _register(
        client,
        django_capture_on_commit_callbacks,
        "dan@example.com",
        confirm_first=False,
    )
    assert mail.outbox == []
    assert _comment(client, post, "Straight in.").status_code == 303


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "This link is not valid"),
        ("not-a-token", "This link is not valid"),
        (signing.TimestampSigner(salt="another.salt").sign_object({"user": 1}), "not valid"),
    ],
)
def test_a_bad_link_is_refused(client: Client, unconfirmed, token: str, message: str) -> None:
    response = client.post(reverse("accounts:confirm_email"), {"token": token})
    assert response.status_code == 400
    assert message in page_text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.email_verified_at is None


def test_an_expired_link_says_so(
    client: Client, unconfirmed, settings, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        confirmation.send_confirmation(
            unconfirmed, confirm_url="http://testserver/accounts/email/confirm/"
        )
    token = _token(mail.outbox[0])
    settings.SOUNDOFF_EMAIL_LINK_MAX_AGE = -1
    response = client.post(reverse("accounts:confirm_email"), {"token": token})
    assert response.status_code == 400
    assert "This link has expired" in page_text(response)


# --- changing the address --------------------------------------------------


def _ask_change(client: Client, capture, **data: str):
    with capture(execute=True):
        return client.post(reverse("accounts:change_email"), data)


def test_a_new_address_replaces_the_old_only_once_confirmed(
    client: Client, alice, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    old = alice.email
    client.force_login(alice)
    response = _ask_change(
        client,
        django_capture_on_commit_callbacks,
        email="alice.new@example.org",
        password=PASSWORD,
    )
    assert response.status_code == 302
    [link_mail] = mail.outbox
    assert link_mail.to == ["alice.new@example.org"]
    alice.refresh_from_db()
    assert alice.email == old

    token = _token(link_mail)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:confirm_email"), {"token": token})
    alice.refresh_from_db()
    assert alice.email == "alice.new@example.org"
    assert alice.email_verified_at is not None
    # The old address is told, and the new one is not named to it.
    notice = mail.outbox[1]
    assert notice.to == [old]
    assert "no longer used" in notice.body
    assert "alice.new@example.org" not in notice.body

    # The same link again, or any older one, no longer applies.
    response = client.post(reverse("accounts:confirm_email"), {"token": token})
    assert response.status_code == 400
    assert "the account's address has changed" in page_text(response)


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"email": "alice.new@example.org", "password": "wrong"}, "not your current password"),
        ({"email": "bob-address", "password": PASSWORD}, "Enter a valid email address"),
        ({"email": "", "password": PASSWORD}, "This field is required"),
    ],
)
def test_a_change_is_refused_with_the_typing_kept(
    client: Client, alice, data: dict[str, str], field_message: str, tasks_at_once
) -> None:
    client.force_login(alice)
    response = client.post(reverse("accounts:change_email"), data)
    assert response.status_code == 400
    page = page_text(response)
    assert field_message in page
    if data["email"]:
        assert f'value="{data["email"]}"' in page
    # The password is never sent back into the page.
    assert f'value="{data["password"]}"' not in page
    assert mail.outbox == []


def test_an_address_in_use_answers_the_same_and_tells_its_owner(
    client: Client, alice, bob, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    client.force_login(alice)
    taken = _ask_change(
        client, django_capture_on_commit_callbacks, email=bob.email.upper(), password=PASSWORD
    )
    free = _ask_change(
        client, django_capture_on_commit_callbacks, email="free@example.org", password=PASSWORD
    )
    assert (taken.status_code, taken["Location"]) == (free.status_code, free["Location"])
    notice, link = mail.outbox
    assert notice.to == [bob.email]
    assert "The address is already in use there" in notice.body
    assert "token=" not in notice.body
    assert link.to == ["free@example.org"] and "token=" in link.body
    alice.refresh_from_db()
    assert alice.email != bob.email


def test_the_current_address_is_not_a_change(client: Client, alice, tasks_at_once) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("accounts:change_email"), {"email": alice.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "That is already your address." in page_text(response)
    assert mail.outbox == []


def test_an_address_taken_before_the_link_is_opened_is_refused(
    client: Client, alice, policies, tasks_at_once, django_capture_on_commit_callbacks
) -> None:
    client.force_login(alice)
    _ask_change(
        client, django_capture_on_commit_callbacks, email="taken@example.org", password=PASSWORD
    )
    token = _token(mail.outbox[0])
    make_reader("Quick Taker", email="taken@example.org")
    response = client.post(reverse("accounts:confirm_email"), {"token": token})
    assert response.status_code == 400
    assert "Another account uses that address" in page_text(response)
    alice.refresh_from_db()
    assert alice.email != "taken@example.org"


def test_the_address_pages_need_a_reader(client: Client, policies) -> None:
    for name in ("change_email", "send_confirmation"):
        response = client.post(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
