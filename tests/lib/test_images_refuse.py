"""soundoff.lib.images refusing a picture: too large, the wrong format (SVG
among them), damaged or truncated, and decompression bombs."""

import io
import struct
import threading
import time
from collections.abc import Callable

import pytest
from PIL import Image

from soundoff.lib import images
from soundoff.lib.images import Avatar, ImageRejected, process_avatar
from testkit.at_once import stopped_in

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


# The decode budget: memory counted from the header, refused unread

FlatPng = Callable[..., bytes]


def test_a_bilevel_png_is_counted_at_the_byte_per_pixel_it_decodes_to(
    bilevel_png: BilevelPng, process: Process, rejection: Rejection
) -> None:
    # 16 megapixels in 2 KB: a byte each once decoded, and the centre square
    # (1000x1000) cut out and turned into grey, a byte a pixel each time.
    bomb = bilevel_png(16_000, 1_000)
    assert len(bomb) < 3_000

    avatar = process(bomb, max_decode_bytes=18_000_000)

    assert sorted(avatar.images) == [48, 96, 192]
    assert rejection(bomb, max_decode_bytes=17_999_999).code == "too_many_pixels"


@pytest.mark.parametrize(
    ("depth", "colour"),
    [(8, 3), (16, 0), (8, 6)],
    ids=["palette", "16-bit-grey", "rgba"],
)
def test_it_refuses_a_png_whose_decode_is_over_budget_before_decoding(
    no_decoding: None, flat_png: FlatPng, rejection: Rejection, depth: int, colour: int
) -> None:
    # 16 megapixels, within max_pixels: 80, 96 and 128 MB to decode and reduce.
    error = rejection(flat_png(4_000, 4_000, depth=depth, colour=colour))

    assert error.code == "too_many_pixels"
    assert str(error).startswith("That picture is too large to process;")


def test_the_refusal_says_how_many_megapixels_such_a_picture_may_have(
    no_decoding: None, flat_png: FlatPng, rejection: Rejection
) -> None:
    # An RGBA picture takes 4 bytes a pixel decoded and 4 more premultiplied.
    error = rejection(flat_png(4_000, 4_000, depth=8, colour=6))

    assert str(error) == (
        "That picture is too large to process; pictures like it can have at most "
        "8 megapixels. Choose a smaller picture."
    )


def test_it_refuses_a_gif_with_a_huge_canvas_and_many_frames_before_decoding(
    no_decoding: None, encode: Encode, rejection: Rejection
) -> None:
    # Fifty one-pixel frames on a 4000x4000 canvas, in a few hundred bytes.
    frames = [Image.new("P", (1, 1), i) for i in range(50)]
    data = bytearray(encode(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    data[6:10] = struct.pack("<HH", 4_000, 4_000)  # the logical screen
    assert len(data) < 2_000

    assert rejection(bytes(data)).code == "too_many_pixels"


@pytest.mark.parametrize("frames", [1, 5], ids=["still", "animated"])
def test_it_counts_libwebps_own_canvases(
    no_decoding: None, encode: Encode, rejection: Rejection, frames: int
) -> None:
    # 4.4 megapixels, four copies of four bytes each: 70 MB.
    images = [Image.new("RGB", (2_100, 2_100), (i * 40, 0, 0)) for i in range(frames)]
    data = encode(images[0], "WEBP", lossless=True, save_all=True, append_images=images[1:])

    assert rejection(data).code == "too_many_pixels"


def test_it_counts_the_coefficients_of_a_progressive_jpeg_whose_header_lies(
    no_decoding: None, encode: Encode, rejection: Rejection
) -> None:
    # A 64x64 picture claiming 4000x4000: libjpeg would set aside every DCT
    # coefficient of the claimed size (96 MB) before finding the data short.
    data = bytearray(
        encode(Image.new("RGB", (64, 64), "red"), "JPEG", progressive=True, subsampling=0)
    )
    frame = data.index(b"\xff\xc2")
    data[frame + 5 : frame + 9] = struct.pack(">HH", 4_000, 4_000)

    assert rejection(bytes(data)).code == "too_many_pixels"


def test_a_baseline_jpeg_is_counted_at_the_size_it_is_decoded_at(
    encode: Encode, process: Process
) -> None:
    # 16 megapixels are decoded at an eighth of each side: 1 MB, not 64.
    data = encode(Image.new("RGB", (4_000, 4_000), "red"), "JPEG")

    avatar = process(data, max_decode_bytes=2_000_000)

    assert sorted(avatar.images) == [48, 96, 192]


def _waiting_on_the_semaphore(threads: list[threading.Thread]) -> int:
    # Semaphore.acquire waits on its condition only while the count is zero.
    return stopped_in(threads, "Condition.wait", called_from="Semaphore.acquire")


def test_no_more_than_two_pictures_are_decoded_at_once(
    monkeypatch: pytest.MonkeyPatch, picture: Picture, process: Process
) -> None:
    inside, most, lock = [0], [0], threading.Lock()
    release = threading.Event()
    real = images._working_square

    def working_square(im: Image.Image) -> Image.Image:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        release.wait(10)
        with lock:
            inside[0] -= 1
        return real(im)

    monkeypatch.setattr(images, "_working_square", working_square)
    data = picture("PNG")
    threads = [threading.Thread(target=process, args=(data,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    # Until each thread is decoding or waiting for the semaphore (not merely
    # late): then no other could get in. Fails after 10 s of neither.
    deadline = time.monotonic() + 10
    while inside[0] + _waiting_on_the_semaphore(threads) < len(threads):
        assert time.monotonic() < deadline, f"{inside[0]} decoding, the rest neither"
        time.sleep(0.01)
    entered = most[0]
    release.set()
    for thread in threads:
        thread.join(10)

    assert entered == images.DECODES_AT_ONCE == 2


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
