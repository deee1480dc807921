"""/accounts/profile/: display name and picture of the logged-in reader."""

import pytest
from django.test import Client

from soundoff.accounts.models import AvatarImage, User
from testkit.pages import page_text

URL = "/accounts/profile/"


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def test_a_logged_out_visitor_is_sent_to_log_in(client: Client, policies) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_a_logged_out_post_changes_nothing(client: Client, alice) -> None:
    response = client.post(URL, {"action": "name", "display_name": "Someone Else"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "Alice Reader"


def test_it_shows_the_current_name_and_picture(alice_client: Client, alice) -> None:
    response = alice_client.get(URL)

    assert response.status_code == 200
    page = page_text(response)
    assert 'value="Alice Reader"' in page
    assert f'src="{alice.avatar_url()}"' in page
    # Nothing to remove yet.
    assert 'value="remove-avatar"' not in page


def test_it_changes_the_display_name(alice_client: Client, alice) -> None:
    response = alice_client.post(URL, {"action": "name", "display_name": "Alice  Q.\u200b Reader"})

    assert response.status_code == 302
    assert response["Location"] == URL
    alice.refresh_from_db()
    assert alice.display_name == "Alice Q. Reader"
    assert alice.display_name_key == "alice q. reader"
    assert "Your display name is updated." in page_text(alice_client.get(URL))


def test_a_reader_may_recase_their_own_name(alice_client: Client, alice) -> None:
    response = alice_client.post(URL, {"action": "name", "display_name": "ALICE reader"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "ALICE reader"


@pytest.mark.parametrize(
    "typed", ["Bob Reader", "bob READER", "\uff22\uff4f\uff42 Reader", "Bob\u200b Reader"]
)
def test_it_refuses_a_display_name_colliding_with_another_reader(
    alice_client: Client, alice, bob, typed: str
) -> None:
    response = alice_client.post(URL, {"action": "name", "display_name": typed})

    assert response.status_code == 400
    page = page_text(response)
    assert "is already taken. Choose another." in page
    assert f'value="{typed}"' in page
    alice.refresh_from_db()
    assert alice.display_name == "Alice Reader"
    assert alice.display_name_key == "alice reader"


def test_it_refuses_a_too_short_display_name(alice_client: Client, alice) -> None:
    response = alice_client.post(URL, {"action": "name", "display_name": " A\u200b "})

    assert response.status_code == 400
    assert "Display names need at least 2 characters." in page_text(response)
    alice.refresh_from_db()
    assert alice.display_name == "Alice Reader"


def test_it_uploads_a_picture_in_three_sizes(alice_client: Client, alice, photo) -> None:
    response = alice_client.post(URL, {"action": "avatar", "avatar": photo()})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.avatar_digest
    rows = AvatarImage.objects.filter(user=alice)
    assert sorted(rows.values_list("size", flat=True)) == [48, 96, 192]
    page = page_text(alice_client.get(URL))
    assert f'src="{alice.avatar_url()}"' in page
    assert 'value="remove-avatar"' in page


def test_an_uploaded_picture_is_served_as_immutable_webp(
    alice_client: Client, alice, photo
) -> None:
    alice_client.post(URL, {"action": "avatar", "avatar": photo()})
    alice.refresh_from_db()

    response = alice_client.get(alice.avatar_url(96))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WEBP"


def test_a_new_picture_replaces_the_old_one(alice_client: Client, alice, photo) -> None:
    alice_client.post(URL, {"action": "avatar", "avatar": photo((200, 40, 40))})
    alice.refresh_from_db()
    old_url = alice.avatar_url(96)

    alice_client.post(URL, {"action": "avatar", "avatar": photo((40, 40, 200))})
    alice.refresh_from_db()

    assert alice.avatar_url(96) != old_url
    assert alice_client.get(old_url).status_code == 404
    assert alice_client.get(alice.avatar_url(96)).status_code == 200
    assert AvatarImage.objects.filter(user=alice).count() == 3


def test_an_upload_without_a_file_is_refused(alice_client: Client, alice) -> None:
    response = alice_client.post(URL, {"action": "avatar"})

    assert response.status_code == 400
    assert "Choose a picture to upload." in page_text(response)
    assert not AvatarImage.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("svg", "That file isn't a JPEG, PNG, WebP or GIF picture."),
        # 16 megapixels, within the pixel limit, but RGBA: 128 MB to decode.
        (
            "rgba-bomb",
            "That picture is too large to process; pictures like it can have at most "
            "8 megapixels. Choose a smaller picture.",
        ),
    ],
)
def test_a_bad_upload_keeps_the_current_picture(
    alice_client: Client, alice, photo, svg_file, png_bomb, bad: str, message: str
) -> None:
    alice_client.post(URL, {"action": "avatar", "avatar": photo()})
    alice.refresh_from_db()
    digest = alice.avatar_digest
    upload = svg_file() if bad == "svg" else png_bomb(4_000, colour=6)

    response = alice_client.post(URL, {"action": "avatar", "avatar": upload})

    assert response.status_code == 400
    assert message in page_text(response)
    alice.refresh_from_db()
    assert alice.avatar_digest == digest
    assert set(AvatarImage.objects.filter(user=alice).values_list("digest", flat=True)) == {digest}


def test_it_removes_the_picture_and_falls_back_to_initials(
    alice_client: Client, alice, photo
) -> None:
    alice_client.post(URL, {"action": "avatar", "avatar": photo()})
    alice.refresh_from_db()
    old_url = alice.avatar_url(96)

    response = alice_client.post(URL, {"action": "remove-avatar"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.avatar_digest == ""
    assert not AvatarImage.objects.filter(user=alice).exists()
    assert alice.avatar_url().startswith(f"/avatars/{alice.pk}/initials.svg?name=")
    assert alice_client.get(old_url).status_code == 404
    initials = alice_client.get(alice.avatar_url())
    assert initials.status_code == 200
    assert initials["Content-Type"] == "image/svg+xml"


def test_an_unknown_action_is_refused(alice_client: Client, alice) -> None:
    response = alice_client.post(URL, {"action": "delete-everything", "display_name": "X Y"})

    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.display_name == "Alice Reader"
