"""Pictures for the soundoff.lib.images tests, every one drawn here with Pillow.

The helpers are fixtures that return functions, so that the accepting and
the refusing test modules share them without importing one another.
"""

import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image, ImageFile

from soundoff.lib.images import Avatar, ImageRejected, process_avatar

RED = (255, 0, 0)


@pytest.fixture
def avatar_limits() -> dict[str, int]:
    """The limits every test processes under unless it says otherwise."""
    return {"max_bytes": 2_000_000, "max_pixels": 16_000_000, "max_decode_bytes": 64_000_000}


@pytest.fixture
def encode() -> Callable[..., bytes]:
    def encode(im: Image.Image, fmt: str, **params: Any) -> bytes:
        out = io.BytesIO()
        im.save(out, fmt, **params)
        return out.getvalue()

    return encode


@pytest.fixture
def picture(encode: Callable[..., bytes]) -> Callable[..., bytes]:
    """A red picture in any format Pillow writes, 300x200 unless told."""

    def picture(fmt: str = "JPEG", size: tuple[int, int] = (300, 200), **params: Any) -> bytes:
        im = Image.new("RGB", size, RED)
        if fmt == "GIF":
            im = im.convert("P")
        return encode(im, fmt, **params)

    return picture


@pytest.fixture
def process(avatar_limits: dict[str, int]) -> Callable[..., Avatar]:
    def process(data: bytes, **limits: int) -> Avatar:
        return process_avatar(io.BytesIO(data), **(avatar_limits | limits))

    return process


@pytest.fixture
def rejection(process: Callable[..., Avatar]) -> Callable[..., ImageRejected]:
    """The refusal that processing ``data`` must raise."""

    def rejection(data: bytes, **limits: int) -> ImageRejected:
        with pytest.raises(ImageRejected) as caught:
            process(data, **limits)
        return caught.value

    return rejection


@pytest.fixture
def opened() -> Callable[[bytes], Image.Image]:
    def opened(webp: bytes) -> Image.Image:
        im = Image.open(io.BytesIO(webp))
        im.load()
        return im

    return opened


@pytest.fixture
def close_to() -> Callable[..., bool]:
    """Whether a pixel matches, within what lossy re-encoding moves it."""

    def close_to(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> bool:
        return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))

    return close_to


@pytest.fixture
def flat_png() -> Callable[..., bytes]:
    """A complete, valid black PNG of any size and kind: a bomb when large.

    ``depth`` and ``colour`` are the IHDR's bit depth and colour type (0 grey,
    2 RGB, 3 palette, 6 RGBA). Rows are compressed one at a time so that
    building a 30000x30000 picture (900 megapixels once decoded) takes
    ~100 KB of memory, not 112 MB.
    """
    channels = {0: 1, 2: 3, 3: 1, 6: 4}

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    def flat_png(width: int, height: int, *, depth: int = 1, colour: int = 0) -> bytes:
        row_bytes = (width * depth * channels[colour] + 7) // 8
        row = b"\0" * (1 + row_bytes)  # filter byte "None", then the samples
        compressor = zlib.compressobj(9)
        idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
        ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
        palette = chunk(b"PLTE", b"\0\0\0") if colour == 3 else b""
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", ihdr)
            + palette
            + chunk(b"IDAT", idat)
            + chunk(b"IEND", b"")
        )

    return flat_png


@pytest.fixture
def bilevel_png(flat_png: Callable[..., bytes]) -> Callable[[int, int], bytes]:
    """A black PNG at one bit per pixel."""

    def bilevel_png(width: int, height: int) -> bytes:
        return flat_png(width, height)

    return bilevel_png


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
