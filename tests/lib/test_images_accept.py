"""soundoff.lib.images accepting a picture: formats, re-encoding, metadata,
orientation, transparency, output sizes and the digest."""

import hashlib
import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageCms

from soundoff.lib.images import AVATAR_SIZES, Avatar, process_avatar

Encode = Callable[..., bytes]
Picture = Callable[..., bytes]
Process = Callable[..., Avatar]
Opened = Callable[[bytes], Image.Image]
CloseTo = Callable[..., bool]

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


# Accepted formats and the shape of the output


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_it_accepts_each_format_and_returns_square_webp_at_every_size(
    fmt: str, picture: Picture, process: Process, opened: Opened, close_to: CloseTo
) -> None:
    avatar = process(picture(fmt))

    assert set(avatar.images) == set(AVATAR_SIZES) == {48, 96, 192}
    for size, data in avatar.images.items():
        im = opened(data)
        assert im.format == "WEBP"
        assert im.size == (size, size)
        assert im.mode == "RGB"
        assert close_to(im.getpixel((size // 2, size // 2)), RED)


def test_it_accepts_a_cmyk_jpeg(
    encode: Encode, process: Process, opened: Opened, close_to: CloseTo
) -> None:
    data = encode(Image.new("CMYK", (200, 200), (0, 255, 255, 0)), "JPEG")

    center = opened(process(data).images[96]).getpixel((48, 48))

    assert close_to(center, RED, tolerance=40)


def test_it_crops_the_centre_square(
    encode: Encode, process: Process, opened: Opened, close_to: CloseTo
) -> None:
    im = Image.new("RGB", (300, 100), RED)
    im.paste(GREEN, (100, 0, 200, 100))
    im.paste(BLUE, (200, 0, 300, 100))

    out = opened(process(encode(im, "PNG")).images[192])

    assert close_to(out.getpixel((4, 96)), GREEN)
    assert close_to(out.getpixel((187, 96)), GREEN)


def test_it_upscales_a_tiny_picture(picture: Picture, process: Process, opened: Opened) -> None:
    avatar = process(picture("PNG", size=(10, 10)))

    assert opened(avatar.images[192]).size == (192, 192)


def test_it_keeps_16_bit_greyscale_from_turning_white(
    encode: Encode, process: Process, opened: Opened, close_to: CloseTo
) -> None:
    data = encode(Image.new("I;16", (64, 64), 40_000), "PNG")

    grey = opened(process(data).images[48]).getpixel((24, 24))

    assert close_to(grey, (156, 156, 156), tolerance=6)


def test_it_reads_an_upload_that_returns_short_reads(
    picture: Picture, opened: Opened, avatar_limits: dict[str, int]
) -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.source = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return self.source.read(min(size, 7) if size >= 0 else 7)

    avatar = process_avatar(Trickle(picture("PNG")), **avatar_limits)

    assert opened(avatar.images[96]).size == (96, 96)


# Metadata


def exif_with_location_and_camera() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x0110] = "Model 007"  # Model
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    return exif


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_it_strips_exif_icc_and_xmp(
    fmt: str, picture: Picture, process: Process, opened: Opened
) -> None:
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


def test_it_accepts_an_unreadable_colour_profile(
    picture: Picture, process: Process, opened: Opened
) -> None:
    avatar = process(picture("PNG", icc_profile=b"not a profile at all"))

    assert "icc_profile" not in opened(avatar.images[48]).info


@pytest.mark.parametrize(("orientation", "top", "bottom"), [(1, RED, RED), (6, RED, BLUE)])
def test_it_applies_the_exif_orientation(
    orientation: int,
    top: tuple[int, ...],
    bottom: tuple[int, ...],
    encode: Encode,
    process: Process,
    opened: Opened,
    close_to: CloseTo,
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


# Animation and transparency


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_it_takes_the_first_frame_of_an_animation(
    fmt: str, encode: Encode, process: Process, opened: Opened, close_to: CloseTo
) -> None:
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
def test_it_flattens_transparency_onto_white(
    fmt: str, mode: str, encode: Encode, process: Process, opened: Opened, close_to: CloseTo
) -> None:
    data = encode(transparent_with_black_centre(mode), fmt)

    out = opened(process(data).images[96])

    assert out.mode == "RGB"
    assert close_to(out.getpixel((3, 3)), WHITE, tolerance=8)
    assert close_to(out.getpixel((48, 48)), (0, 0, 0), tolerance=8)


# Digest


def test_digest_is_stable_and_names_the_largest_image(picture: Picture, process: Process) -> None:
    data = picture("JPEG")

    first, second = process(data), process(data)

    assert first == second
    assert first.digest == hashlib.sha256(first.images[192]).hexdigest()[:32]
    assert len(first.digest) == 32
    assert int(first.digest, 16) >= 0


def test_digest_differs_for_different_pictures(
    encode: Encode, picture: Picture, process: Process
) -> None:
    other = encode(Image.new("RGB", (300, 200), BLUE), "JPEG")

    assert process(picture("JPEG")).digest != process(other).digest
