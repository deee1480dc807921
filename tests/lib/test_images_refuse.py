"""soundoff.lib.images refusing a picture: too large, the wrong format (SVG
among them), damaged or truncated, and decompression bombs."""

import io
from collections.abc import Callable

import pytest
from PIL import Image

from soundoff.lib.images import Avatar, ImageRejected, process_avatar

Encode = Callable[..., bytes]
Picture = Callable[..., bytes]
Process = Callable[..., Avatar]
Rejection = Callable[..., ImageRejected]
BilevelPng = Callable[[int, int], bytes]


# Formats refused by sniffing


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"Just some notes, saved as avatar.png.\n",
        b"",
        b"RIFF\0\0\0\0WAVEfmt ",
    ],
    ids=["svg", "svg-with-prolog", "text", "empty", "riff-but-not-webp"],
)
def test_it_refuses_files_that_are_not_allowed_pictures(data: bytes, rejection: Rejection) -> None:
    error = rejection(data)

    assert error.code == "unsupported_format"
    assert str(error) == "That file isn't a JPEG, PNG, WebP or GIF picture."
    assert error.message == str(error)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
def test_it_refuses_valid_pictures_in_other_formats(
    fmt: str, picture: Picture, rejection: Rejection
) -> None:
    assert rejection(picture(fmt, size=(64, 64))).code == "unsupported_format"


def test_rejection_is_a_value_error() -> None:
    assert issubclass(ImageRejected, ValueError)


# Size limits


def test_it_refuses_a_file_over_max_bytes_without_decoding(
    monkeypatch: pytest.MonkeyPatch, avatar_limits: dict[str, int]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("the file was opened")

    monkeypatch.setattr(Image, "open", refuse)
    upload = io.BytesIO(b"\xff\xd8\xff" + b"\0" * 10_000_000)

    with pytest.raises(ImageRejected) as caught:
        process_avatar(upload, **avatar_limits)

    assert caught.value.code == "file_too_large"
    assert str(caught.value) == "That file is larger than 2 MB. Choose a smaller picture."
    # Read no further than needed to know.
    assert upload.tell() == avatar_limits["max_bytes"] + 1


def test_it_accepts_a_file_of_exactly_max_bytes(
    picture: Picture, process: Process, rejection: Rejection
) -> None:
    data = picture("PNG")

    process(data, max_bytes=len(data))
    assert rejection(data, max_bytes=len(data) - 1).code == "file_too_large"


def test_it_refuses_a_decompression_bomb_before_decoding(
    no_decoding: None, bilevel_png: BilevelPng, rejection: Rejection
) -> None:
    bomb = bilevel_png(30_000, 30_000)
    assert len(bomb) < 200_000  # 900 megapixels in a small upload

    error = rejection(bomb)

    assert error.code == "too_many_pixels"
    assert str(error) == "That picture is too large; the limit is 16 megapixels."


def test_it_refuses_more_pixels_than_max_pixels_before_decoding(
    no_decoding: None, bilevel_png: BilevelPng, rejection: Rejection
) -> None:
    error = rejection(bilevel_png(5_000, 5_000))

    assert error.code == "too_many_pixels"
    assert str(error) == "That picture is too large (25 megapixels); the limit is 16."


# The project's pytest settings already turn RuntimeWarnings into errors;
# silence that here to prove the module does it on its own, as in production.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_it_treats_pillows_bomb_warning_as_a_refusal(
    no_decoding: None, bilevel_png: BilevelPng, rejection: Rejection
) -> None:
    # 100 megapixels: above Pillow's warning threshold (~89.5) but below its
    # error threshold, and below our own max_pixels here.
    error = rejection(bilevel_png(10_000, 10_000), max_pixels=500_000_000)

    assert error.code == "too_many_pixels"


def test_it_accepts_a_picture_of_exactly_max_pixels(
    picture: Picture, process: Process, rejection: Rejection
) -> None:
    process(picture("PNG", size=(100, 50)), max_pixels=5_000)

    assert rejection(picture("PNG", size=(100, 50)), max_pixels=4_999).code == "too_many_pixels"


# Damaged files


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_it_refuses_a_truncated_picture_as_damaged(
    fmt: str, encode: Encode, rejection: Rejection
) -> None:
    im = Image.effect_noise((256, 256), 64).convert("RGB")
    if fmt == "GIF":
        im = im.convert("P")
    data = encode(im, fmt)

    error = rejection(data[: len(data) // 2])

    assert error.code == "damaged"
    assert str(error) == "That picture is damaged or unreadable."


@pytest.mark.parametrize(
    "offset",
    [12, 40, 60],
    ids=["ihdr-type", "idat-type", "idat-data"],
)
def test_it_refuses_a_png_with_a_corrupt_chunk_as_damaged(
    offset: int, encode: Encode, rejection: Rejection
) -> None:
    data = bytearray(encode(Image.effect_noise((64, 64), 64), "PNG"))
    data[offset] ^= 0xFF

    assert rejection(bytes(data)).code == "damaged"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\0\0\0\0WEBPVP8 "],
    ids=["png", "jpeg", "gif", "webp"],
)
def test_it_calls_a_file_with_a_known_signature_but_no_picture_damaged(
    data: bytes, rejection: Rejection
) -> None:
    assert rejection(data).code == "damaged"
