"""Tests for soundoff.lib.images: every fixture is drawn here with Pillow."""

import hashlib
import io
import struct
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageFile

from soundoff.lib.images import (
    AVATAR_COLOURS,
    AVATAR_SIZES,
    Avatar,
    ImageRejected,
    initials_svg,
    process_avatar,
)

MAX_BYTES = 2_000_000
MAX_PIXELS = 16_000_000
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
SVG_NS = "{http://www.w3.org/2000/svg}"


def encode(im: Image.Image, fmt: str, **params: Any) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def picture(fmt: str = "JPEG", size: tuple[int, int] = (300, 200), **params: Any) -> bytes:
    im = Image.new("RGB", size, RED)
    if fmt == "GIF":
        im = im.convert("P")
    return encode(im, fmt, **params)


def process(data: bytes, **limits: int) -> Avatar:
    limits.setdefault("max_bytes", MAX_BYTES)
    limits.setdefault("max_pixels", MAX_PIXELS)
    return process_avatar(io.BytesIO(data), **limits)


def rejection(data: bytes, **limits: int) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process(data, **limits)
    return caught.value


def opened(webp: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(webp))
    im.load()
    return im


def close_to(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def bilevel_png(width: int, height: int) -> bytes:
    """A complete, valid black PNG of any size: a decompression bomb when large.

    Rows are compressed one at a time so that building a 30000x30000 picture
    (900 megapixels once decoded) takes ~100 KB of memory, not 112 MB.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte "None", then packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


# Accepted formats and the shape of the output


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_it_accepts_each_format_and_returns_square_webp_at_every_size(fmt: str) -> None:
    avatar = process(picture(fmt))

    assert set(avatar.images) == set(AVATAR_SIZES) == {48, 96, 192}
    for size, data in avatar.images.items():
        im = opened(data)
        assert im.format == "WEBP"
        assert im.size == (size, size)
        assert im.mode == "RGB"
        assert close_to(im.getpixel((size // 2, size // 2)), RED)


def test_it_accepts_a_cmyk_jpeg() -> None:
    data = encode(Image.new("CMYK", (200, 200), (0, 255, 255, 0)), "JPEG")

    center = opened(process(data).images[96]).getpixel((48, 48))

    assert close_to(center, RED, tolerance=40)


def test_it_crops_the_centre_square() -> None:
    im = Image.new("RGB", (300, 100), RED)
    im.paste(GREEN, (100, 0, 200, 100))
    im.paste(BLUE, (200, 0, 300, 100))

    out = opened(process(encode(im, "PNG")).images[192])

    assert close_to(out.getpixel((4, 96)), GREEN)
    assert close_to(out.getpixel((187, 96)), GREEN)


def test_it_upscales_a_tiny_picture() -> None:
    avatar = process(picture("PNG", size=(10, 10)))

    assert opened(avatar.images[192]).size == (192, 192)


def test_it_keeps_16_bit_greyscale_from_turning_white() -> None:
    data = encode(Image.new("I;16", (64, 64), 40_000), "PNG")

    grey = opened(process(data).images[48]).getpixel((24, 24))

    assert close_to(grey, (156, 156, 156), tolerance=6)


def test_it_reads_an_upload_that_returns_short_reads() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.source = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return self.source.read(min(size, 7) if size >= 0 else 7)

    avatar = process_avatar(Trickle(picture("PNG")), max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)

    assert opened(avatar.images[96]).size == (96, 96)


# Metadata


def exif_with_location_and_camera() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x0110] = "Model 007"  # Model
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    return exif


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_it_strips_exif_icc_and_xmp(fmt: str) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SecretXMP</x:xmpmeta>'
    data = picture(fmt, exif=exif_with_location_and_camera(), icc_profile=srgb, xmp=xmp)
    source = Image.open(io.BytesIO(data))
    assert source.getexif()[0x010F] == "SpyCam Industries"  # the fixture really has it

    for webp in process(data).images.values():
        im = opened(webp)
        assert not im.getexif()
        assert not {"exif", "icc_profile", "xmp"} & set(im.info)
        for marker in (b"EXIF", b"ICCP", b"XMP ", b"SpyCam", b"SecretXMP"):
            assert marker not in webp


def test_it_accepts_an_unreadable_colour_profile() -> None:
    avatar = process(picture("PNG", icc_profile=b"not a profile at all"))

    assert "icc_profile" not in opened(avatar.images[48]).info


@pytest.mark.parametrize(("orientation", "top", "bottom"), [(1, RED, RED), (6, RED, BLUE)])
def test_it_applies_the_exif_orientation(
    orientation: int, top: tuple[int, ...], bottom: tuple[int, ...]
) -> None:
    # Stored sideways, as phones do: red on the left, blue on the right.
    # Orientation 6 means "rotate 90 degrees clockwise to display", which puts
    # red on top; the centre crop of the stored, unrotated picture would
    # instead be red on the left and blue on the right.
    im = Image.new("RGB", (400, 200), RED)
    im.paste(BLUE, (200, 0, 400, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation

    out = opened(process(encode(im, "JPEG", exif=exif)).images[192])

    assert close_to(out.getpixel((20, 10)), top)
    assert close_to(out.getpixel((20, 181)), bottom)


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
def test_it_refuses_files_that_are_not_allowed_pictures(data: bytes) -> None:
    error = rejection(data)

    assert error.code == "unsupported_format"
    assert str(error) == "That file isn't a JPEG, PNG, WebP or GIF picture."
    assert error.message == str(error)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
def test_it_refuses_valid_pictures_in_other_formats(fmt: str) -> None:
    assert rejection(picture(fmt, size=(64, 64))).code == "unsupported_format"


def test_rejection_is_a_value_error() -> None:
    assert issubclass(ImageRejected, ValueError)


# Size limits


def test_it_refuses_a_file_over_max_bytes_without_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("the file was opened")

    monkeypatch.setattr(Image, "open", refuse)
    upload = io.BytesIO(b"\xff\xd8\xff" + b"\0" * 10_000_000)

    with pytest.raises(ImageRejected) as caught:
        process_avatar(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)

    assert caught.value.code == "file_too_large"
    assert str(caught.value) == "That file is larger than 2 MB. Choose a smaller picture."
    assert upload.tell() == MAX_BYTES + 1  # read no further than needed to know


def test_it_accepts_a_file_of_exactly_max_bytes() -> None:
    data = picture("PNG")

    process(data, max_bytes=len(data))
    assert rejection(data, max_bytes=len(data) - 1).code == "file_too_large"


def test_it_refuses_a_decompression_bomb_before_decoding(no_decoding: None) -> None:
    bomb = bilevel_png(30_000, 30_000)
    assert len(bomb) < 200_000  # 900 megapixels in a small upload

    error = rejection(bomb)

    assert error.code == "too_many_pixels"
    assert str(error) == "That picture is too large; the limit is 16 megapixels."


def test_it_refuses_more_pixels_than_max_pixels_before_decoding(no_decoding: None) -> None:
    error = rejection(bilevel_png(5_000, 5_000))

    assert error.code == "too_many_pixels"
    assert str(error) == "That picture is too large (25 megapixels); the limit is 16."


# The project's pytest settings already turn RuntimeWarnings into errors;
# silence that here to prove the module does it on its own, as in production.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_it_treats_pillows_bomb_warning_as_a_refusal(no_decoding: None) -> None:
    # 100 megapixels: above Pillow's warning threshold (~89.5) but below its
    # error threshold, and below our own max_pixels here.
    error = rejection(bilevel_png(10_000, 10_000), max_pixels=500_000_000)

    assert error.code == "too_many_pixels"


def test_it_accepts_a_picture_of_exactly_max_pixels() -> None:
    process(picture("PNG", size=(100, 50)), max_pixels=5_000)

    assert rejection(picture("PNG", size=(100, 50)), max_pixels=4_999).code == "too_many_pixels"


# Damaged files


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_it_refuses_a_truncated_picture_as_damaged(fmt: str) -> None:
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
def test_it_refuses_a_png_with_a_corrupt_chunk_as_damaged(offset: int) -> None:
    data = bytearray(encode(Image.effect_noise((64, 64), 64), "PNG"))
    data[offset] ^= 0xFF

    assert rejection(bytes(data)).code == "damaged"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\0\0\0\0WEBPVP8 "],
    ids=["png", "jpeg", "gif", "webp"],
)
def test_it_calls_a_file_with_a_known_signature_but_no_picture_damaged(data: bytes) -> None:
    assert rejection(data).code == "damaged"


# Animation and transparency


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_it_takes_the_first_frame_of_an_animation(fmt: str) -> None:
    frames = [Image.new("RGB", (120, 120), colour) for colour in (RED, GREEN, BLUE)]
    if fmt == "GIF":
        frames = [frame.convert("P") for frame in frames]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 3

    out = opened(process(data).images[96])

    assert getattr(out, "n_frames", 1) == 1
    assert close_to(out.getpixel((48, 48)), RED)


def transparent_with_black_centre(mode: str) -> Image.Image:
    # The transparent pixels hide magenta, so that showing them instead of
    # painting them white would fail the test.
    if mode == "P":
        im = Image.new("P", (100, 100), 0)
        im.putpalette([255, 0, 255, 0, 0, 0])
        im.paste(1, (40, 40, 60, 60))
        im.info["transparency"] = 0
        return im
    im = Image.new("RGBA", (100, 100), (255, 0, 255, 0))
    im.paste((0, 0, 0, 255), (40, 40, 60, 60))
    return im


@pytest.mark.parametrize(
    ("fmt", "mode"), [("PNG", "RGBA"), ("PNG", "P"), ("GIF", "P"), ("WEBP", "RGBA")]
)
def test_it_flattens_transparency_onto_white(fmt: str, mode: str) -> None:
    data = encode(transparent_with_black_centre(mode), fmt)

    out = opened(process(data).images[96])

    assert out.mode == "RGB"
    assert close_to(out.getpixel((3, 3)), WHITE, tolerance=8)
    assert close_to(out.getpixel((48, 48)), (0, 0, 0), tolerance=8)


# Digest


def test_digest_is_stable_and_names_the_largest_image() -> None:
    data = picture("JPEG")

    first, second = process(data), process(data)

    assert first == second
    assert first.digest == hashlib.sha256(first.images[192]).hexdigest()[:32]
    assert len(first.digest) == 32
    assert int(first.digest, 16) >= 0


def test_digest_differs_for_different_pictures() -> None:
    other = encode(Image.new("RGB", (300, 200), BLUE), "JPEG")

    assert process(picture("JPEG")).digest != process(other).digest


# Default pictures


def parse(svg: str) -> ET.Element:
    # The input is our own output, and a strict parser is the point: it fails
    # on any markup the name could have smuggled in.
    return ET.fromstring(svg)


def svg_text(display_name: str, **kwargs: int) -> str:
    root = parse(initials_svg(display_name, **kwargs))
    assert root.tag == f"{SVG_NS}svg"
    (text,) = root.iter(f"{SVG_NS}text")
    return text.text or ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ada lovelace", "AL"),
        ("Ada", "A"),
        ("Ada King Lovelace", "AK"),
        ("  grace   hopper  ", "GH"),
        ("'bell' hooks", "BH"),
        ("Σωκράτης Παππάς", "ΣΠ"),
        ("ёжик в тумане", "ЁВ"),
        ("山田 太郎", "山太"),
        ("محمد علي", "مع"),
        ("दिव्या शर्मा", "दिश"),  # the vowel sign stays with its consonant
        ("e\u0301mile zola", "ÉZ"),  # decomposed accent, composed in the output
        ("ßtraße x", "ßX"),  # one character per initial, never "SS"
        ("🎉 Ann", "A"),
        ("", "?"),
        ("   ", "?"),
        ("🎉🎉 🙂", "?"),
        ("-- !!", "?"),
    ],
)
def test_initials_svg_picks_up_to_two_initials(name: str, expected: str) -> None:
    assert svg_text(name) == expected


def test_initials_svg_escapes_markup_in_the_name() -> None:
    name = "<script>alert(1)</script> &\"' <b>x</b>"

    svg = initials_svg(name)

    assert "<script" not in svg
    assert "alert" not in svg
    assert svg_text(name) == "SB"
    assert [element.tag for element in parse(svg)] == [f"{SVG_NS}rect", f"{SVG_NS}text"]


@given(st.text())
def test_initials_svg_is_always_well_formed_and_inert(name: str) -> None:
    svg = initials_svg(name)

    root = parse(svg)
    assert [element.tag for element in root] == [f"{SVG_NS}rect", f"{SVG_NS}text"]
    text = svg_text(name)
    # Only letters, digits and combining marks ever come from the name.
    assert text == "?" or all(unicodedata.category(char)[0] in "LNM" for char in text)
    assert "href" not in svg
    assert "url(" not in svg


def test_initials_svg_uses_a_system_font_and_the_requested_size() -> None:
    root = parse(initials_svg("Ada Lovelace", size=48))

    assert root.get("width") == root.get("height") == "48"
    (text,) = root.iter(f"{SVG_NS}text")
    assert text.get("font-family") == "system-ui, sans-serif"


def test_initials_svg_refuses_a_size_that_is_not_positive() -> None:
    with pytest.raises(ValueError):
        initials_svg("Ada", size=0)


def background(display_name: str) -> str:
    (rect,) = parse(initials_svg(display_name)).iter(f"{SVG_NS}rect")
    return rect.get("fill") or ""


def test_initials_svg_colour_is_deterministic_and_from_the_palette() -> None:
    names = [f"Reader {number}" for number in range(200)]

    colours = [background(name) for name in names]

    assert colours == [background(name) for name in names]
    assert set(colours) == set(AVATAR_COLOURS)  # 200 names reach every colour


def test_palette_keeps_white_text_readable() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert 8 <= len(AVATAR_COLOURS) <= 12
    for colour in AVATAR_COLOURS:
        assert (1.0 + 0.05) / (luminance(colour) + 0.05) >= 4.5, colour
