"""/avatars/…: uploaded pictures (immutable WebP) and generated initials (SVG)."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from PIL import Image

from soundoff.accounts.models import User
from testkit import cast

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@pytest.mark.parametrize("size", [48, 96, 192])
def test_each_size_is_served_as_webp_of_that_size(
    client: Client, pictured: User, size: int
) -> None:
    response = client.get(pictured.avatar_url(size))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(response.content)) as im:
        assert im.format == "WEBP"
        assert im.size == (size, size)


def test_a_picture_is_cached_forever_because_its_url_names_its_digest(
    client: Client, pictured: User
) -> None:
    response = client.get(pictured.avatar_url(48))

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "immutable", "max-age=31536000"} <= directives


def test_a_wrong_digest_or_size_is_not_found(client: Client, pictured: User) -> None:
    assert client.get(f"/avatars/{pictured.pk}/{'0' * 32}/96.webp").status_code == 404
    assert (
        client.get(f"/avatars/{pictured.pk}/{pictured.avatar_digest}/64.webp").status_code == 404
    )


def test_another_readers_id_does_not_serve_the_picture(
    client: Client, pictured: User, bob
) -> None:
    url = f"/avatars/{bob.pk}/{pictured.avatar_digest}/96.webp"

    assert client.get(url).status_code == 404


def test_pictures_are_read_only(client: Client, pictured: User) -> None:
    assert client.post(pictured.avatar_url(96)).status_code == 405


def test_initials_are_an_svg_with_their_own_locked_down_policy(client: Client, alice) -> None:
    response = client.get(f"/avatars/{alice.pk}/initials.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == SVG_CSP
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "".join(root.itertext()) == "AR"


def test_initials_never_turn_a_name_into_markup(client: Client, policies) -> None:
    reader = cast.make_reader("<script>x</script> & <b>bold</b>")

    response = client.get(f"/avatars/{reader.pk}/initials.svg")

    body = response.content.decode()
    assert "<script" not in body
    assert "<b>" not in body
    root = ET.fromstring(response.content)  # still well-formed XML
    assert [el.tag.split("}")[1] for el in root.iter()] == ["svg", "rect", "text"]
    assert response["Content-Security-Policy"] == SVG_CSP


def test_initials_of_an_unknown_reader_are_not_found(client: Client, policies) -> None:
    assert client.get("/avatars/999999/initials.svg").status_code == 404
