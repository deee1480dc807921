"""Pictures for the accounts tests (genuine and hostile) and an operator.

Each fixture returns a factory, because an upload is consumed by the
request that sends it and some tests send two.
"""

import io
import struct
import zlib
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from soundoff.accounts.models import User
from testkit import cast

Upload = Callable[..., SimpleUploadedFile]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


@pytest.fixture
def photo() -> Upload:
    """A genuine JPEG of one colour; different colours give different digests."""

    def make(
        colour: tuple[int, int, int] = (200, 40, 40), name: str = "me.jpg"
    ) -> SimpleUploadedFile:
        out = io.BytesIO()
        Image.new("RGB", (300, 200), colour).save(out, "JPEG", quality=90)
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")

    return make


@pytest.fixture
def text_file() -> Upload:
    def make() -> SimpleUploadedFile:
        # Named and typed as a picture: only the bytes may decide.
        return SimpleUploadedFile(
            "me.png", b"just some words, not a picture\n" * 4, content_type="image/png"
        )

    return make


@pytest.fixture
def svg_file() -> Upload:
    def make() -> SimpleUploadedFile:
        svg = (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(document.cookie)</script></svg>"
        )
        return SimpleUploadedFile("me.svg", svg, content_type="image/svg+xml")

    return make


@pytest.fixture
def png_bomb() -> Upload:
    """A PNG of a few hundred bytes whose header claims ``side`` x ``side`` pixels,
    RGB unless ``colour`` gives another PNG colour type (6 is RGBA)."""

    def make(side: int = 30_000, colour: int = 2) -> SimpleUploadedFile:
        header = struct.pack(">IIBBBBB", side, side, 8, colour, 0, 0, 0)
        data = (
            b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
            + _png_chunk(b"IEND", b"")
        )
        return SimpleUploadedFile("bomb.png", data, content_type="image/png")

    return make


@pytest.fixture
def pictured(alice: User) -> User:
    """Alice, with a profile picture."""
    return cast.give_picture(alice)


@pytest.fixture
def operator(policies) -> User:
    return cast.make_reader("Site Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def operator_client(operator: User) -> Client:
    client = Client()
    client.force_login(operator)
    return client
