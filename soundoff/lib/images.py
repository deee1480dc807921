"""Profile pictures: check an upload, re-encode it, and draw the default one.

Every uploaded picture is treated as hostile. ``process_avatar`` reads a
bounded number of bytes, identifies the format by sniffing against an
allow-list (never by file name or content type, so SVG and its scripts can't
get in), refuses decompression bombs from the header before any pixel is
decoded, and re-encodes what survives as fresh WebP files. Nothing of the
original file is kept: no EXIF (GPS position, camera serial numbers), no ICC
profile, no XMP, no extra frames, no trailing bytes.

A bomb is counted in memory, not in pixels: a 2 KB PNG of 16 megapixels at
one bit per pixel decodes to 16 MB (Pillow keeps a byte per pixel) and a
WebP of the same size to 256 MB (libwebp's canvases and the frame it hands
over, four bytes per pixel each). So the header is turned into the bytes
the decode will take (``_decode_bytes``) and checked against a budget, and
the work after the decode is done on a copy reduced to a few hundred
pixels, so that it adds little to that. At most DECODES_AT_ONCE pictures
are decoded at the same time in a process. bench/avatars.py measures it.

It is CPU work (tens of milliseconds for a phone photo): callers must not
hold a transaction open around it.

``initials_svg`` draws the picture for readers who have not uploaded one.
"""

import hashlib
import io
import math
import struct
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from typing import IO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

AVATAR_SIZES = (48, 96, 192)
"""Square sizes in pixels: 48 CSS px beside comments, 96 for 2x screens, 192 on profiles."""

ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
"""Pillow decoders we let near reader uploads; everything else is refused unread."""

WEBP_QUALITY = 85
WEBP_METHOD = 4  # 0 (fast) .. 6 (small); 4 is libwebp's own default trade-off.

AVATAR_COLOURS = (
    "#b91c1c",  # red
    "#9a3412",  # orange
    "#92400e",  # amber
    "#15803d",  # green
    "#0f766e",  # teal
    "#155e75",  # cyan
    "#1d4ed8",  # blue
    "#4338ca",  # indigo
    "#7e22ce",  # purple
    "#be185d",  # pink
    "#475569",  # slate
)
"""Backgrounds for default pictures; each keeps white text above 4.5:1 contrast (WCAG AA)."""

# The side of the working copy: twice the largest size keeps LANCZOS enough
# pixels to downsample from cleanly (what Image.thumbnail's reducing_gap
# does). Pillow decodes a JPEG at 1/2, 1/4 or 1/8 scale for almost nothing,
# so a 12-megapixel phone photo is decoded at about this size to begin with.
_WORKING_SIDE = 2 * max(AVATAR_SIZES)

DECODES_AT_ONCE = 2
"""Pictures decoded at the same time per process. Each may take up to the
decode budget; with the page threads all uploading at once, the process
would otherwise take that many budgets. The work is CPU-bound, so running
more at once would not finish them sooner."""

_decoding = threading.BoundedSemaphore(DECODES_AT_ONCE)

# How many bytes Pillow keeps per pixel, by mode: one for bilevel, grey and
# palette pictures, two for 16-bit grey, four for the rest (RGB is padded).
_STORED_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# libwebp decodes into an RGBA canvas, keeps a copy of it for the next frame,
# and hands Pillow a third copy, whatever the picture's mode.
_WEBP_DECODER_BYTES = 3 * 4


class ImageRejected(ValueError):
    """The upload can't be used; ``message`` tells the reader what to do about it.

    ``code`` is stable for the API's error shape: ``file_too_large``,
    ``unsupported_format``, ``too_many_pixels`` or ``damaged``.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Avatar:
    """A processed picture: WebP bytes for each of AVATAR_SIZES.

    ``digest`` names the picture by content (the first 32 hex digits of the
    SHA-256 of the largest image), so it can go into file names and URLs that
    are cached forever.
    """

    digest: str
    images: dict[int, bytes]


def process_avatar(
    upload: IO[bytes], *, max_bytes: int, max_pixels: int, max_decode_bytes: int
) -> Avatar:
    """Check an uploaded picture and re-encode it at every size in AVATAR_SIZES.

    Reads from the upload's current position. Raises ImageRejected when the
    file is over ``max_bytes``, isn't a JPEG, PNG, WebP or GIF, has more than
    ``max_pixels`` pixels, would take more than ``max_decode_bytes`` of
    memory to decode, or can't be decoded.
    """
    data = _read_at_most(upload, max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(
            _("That file is larger than %(limit)s. Choose a smaller picture.")
            % {"limit": format_bytes(max_bytes)},
            code="file_too_large",
        )

    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; for us a
        # bomb is an error wherever it is detected (open, seek or load).
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as im:
                # The header has been parsed but no pixel data decoded yet:
                # this is the moment to refuse a 20000x20000 PNG of a few KB.
                _check_pixels(im.width, im.height, max_pixels)
                coefficients = 0
                if im.format in ("JPEG", "MPO"):
                    coefficients = _jpeg_coefficient_bytes(im, data)
                    im.draft("RGB", (_WORKING_SIDE, _WORKING_SIDE))
                _check_decode_bytes(im, coefficients, max_decode_bytes)
                with _decoding:
                    # Animated GIF and WebP open on their first frame; load()
                    # decodes only that one, and the rest are never looked at.
                    im.load()
                    square = _working_square(im)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(
                _("That picture is too large; the limit is %(limit)s megapixels.")
                % {"limit": _format_megapixels(max_pixels)},
                code="too_many_pixels",
            ) from None
        except UnidentifiedImageError:
            if _has_allowed_signature(data):
                # Pillow reports a broken header as "unidentified"; the reader
                # did pick a supported format, so tell them it's the file.
                raise _damaged() from None
            raise ImageRejected(
                _("That file isn't a JPEG, PNG, WebP or GIF picture."),
                code="unsupported_format",
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            # Truncated data, bad checksums, absurd chunk sizes: Pillow reports
            # all of these through a handful of exception types.
            raise _damaged() from None

    try:
        flat = _flatten_to_srgb(_upright(square))
    except (OSError, ValueError) as exc:
        raise _damaged() from exc
    images = {size: _encode_square(flat, size) for size in AVATAR_SIZES}
    digest = hashlib.sha256(images[max(AVATAR_SIZES)]).hexdigest()[:32]
    return Avatar(digest=digest, images=images)


def initials_svg(display_name: str, *, size: int = 96) -> str:
    """Return the default picture for a reader: their initials on a coloured square.

    The page serves this as image/svg+xml from our own origin, so the reader's
    name must never become markup: only letters, digits and their combining
    marks are taken from it, and even those are XML-escaped. The background is
    chosen from AVATAR_COLOURS by a hash of the name (stable across processes,
    unlike hash()), so a reader keeps their colour until they rename themselves.
    No web font is fetched; the reader's own system font draws the letters.
    """
    if size <= 0:
        raise ValueError(f"size must be a positive number of pixels, not {size!r}.")
    name = unicodedata.normalize("NFC", display_name).strip()
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
    colour = AVATAR_COLOURS[int.from_bytes(digest[:4], "big") % len(AVATAR_COLOURS)]
    text = escape(_initials(name), {'"': "&quot;", "'": "&apos;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size:d}" height="{size:d}"'
        ' viewBox="0 0 100 100" aria-hidden="true">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        '<text x="50" y="50" fill="#ffffff" font-family="system-ui, sans-serif"'
        ' font-size="40" font-weight="600" text-anchor="middle"'
        f' dominant-baseline="central">{text}</text>'
        "</svg>"
    )


def _initials(display_name: str) -> str:
    """Return up to two initials: the first letter of each of the first two words.

    Words without a letter or digit (emoji, punctuation) are skipped; a name
    with none at all gets "?". A letter keeps the combining marks that follow
    it, so scripts such as Devanagari or Thai don't lose their vowel signs.
    """
    letters: list[str] = []
    for word in unicodedata.normalize("NFC", display_name).split():
        letter = _first_letter(word)
        if letter:
            letters.append(letter)
            if len(letters) == 2:
                break
    return "".join(letters) or "?"


def _first_letter(word: str) -> str:
    for start, char in enumerate(word):
        if unicodedata.category(char)[0] in "LN":
            end = start + 1
            while end < len(word) and unicodedata.category(word[end])[0] == "M":
                end += 1
            upper = char.upper()
            # "ß".upper() is "SS": keep one character per initial.
            base = upper if len(upper) == 1 else char
            return base + word[start + 1 : end]
    return ""


def _read_at_most(upload: IO[bytes], limit: int) -> bytes:
    # A single read() may return less than asked (sockets, raw streams), so
    # loop; never ask for more than the limit, so a huge upload costs nothing.
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = upload.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise ImageRejected(
            _("That picture is too large (%(size)s megapixels); the limit is %(limit)s.")
            % {
                "size": _format_megapixels(width * height),
                "limit": _format_megapixels(max_pixels),
            },
            code="too_many_pixels",
        )


def _jpeg_coefficient_bytes(im: ImageFile.ImageFile, data: bytes) -> int:
    """What libjpeg holds for a JPEG of several scans: every DCT coefficient
    of the whole picture (two bytes each), at full size whatever the draft.

    A progressive JPEG always has several scans; a baseline one may too, and
    then the start-of-scan marker appears more than once (the coded data
    can't contain it: a 0xFF byte there is always followed by 0x00).
    """
    if not im.info.get("progressive") and data.count(b"\xff\xda") < 2:
        return 0
    layers: list[tuple[int, int, int, int]] = getattr(im, "layer", [])
    if not layers:
        return 0
    most_h = max(layer[1] for layer in layers) or 1
    most_v = max(layer[2] for layer in layers) or 1
    total = 0
    for _id, h, v, _table in layers:
        blocks_across = math.ceil(math.ceil(im.width * h / most_h) / 8)
        blocks_down = math.ceil(math.ceil(im.height * v / most_v) / 8)
        total += blocks_across * blocks_down * 64 * 2
    return total


def _decode_bytes(im: Image.Image, coefficients: int) -> int:
    """The memory that decoding ``im`` and making its working copy take,
    from the header alone (after any JPEG draft)."""
    stored = _STORED_BYTES.get(im.mode, 4)
    per_pixel = stored + (_WEBP_DECODER_BYTES if im.format == "WEBP" else 0)
    side = min(im.width, im.height)
    cut = stored if im.width != im.height else 0
    working = side * side * (cut + _conversion_bytes(im))
    return im.width * im.height * per_pixel + coefficients + working


def _conversion_bytes(im: Image.Image) -> int:
    """Bytes per pixel of the full-size copies _working_square makes to
    reduce the centre square: a conversion where Image.reduce can't work on
    the mode, and the premultiplied copy it makes itself of LA and RGBA."""
    if im.mode == "1":
        return 1  # to L
    if im.mode in ("P", "PA"):
        return 8 if im.has_transparency_data else 4  # to RGB(A), then premultiplied
    if im.mode.startswith("I;16"):
        return 4  # to I
    if im.mode in ("LA", "RGBA"):
        return 4
    return 0


def _check_decode_bytes(im: Image.Image, coefficients: int, max_decode_bytes: int) -> None:
    needed = _decode_bytes(im, coefficients)
    if needed <= max_decode_bytes:
        return
    # Told in what the reader can change: the pixels a picture of this kind
    # could have within the budget.
    pixels = im.width * im.height * max_decode_bytes // needed
    raise ImageRejected(
        _(
            "That picture is too large to process; pictures like it can have at most "
            "%(limit)s megapixels. Choose a smaller picture."
        )
        % {"limit": _format_megapixels(max(pixels, 100_000))},
        code="too_many_pixels",
    )


def _working_square(im: Image.Image) -> Image.Image:
    """The centre square of ``im``, reduced to about _WORKING_SIDE pixels.

    Cut out and reduced before anything else is done to it, in the fewest
    full-size copies: a conversion only where Image.reduce needs one.
    """
    side = min(im.width, im.height)
    left, top = (im.width - side) // 2, (im.height - side) // 2
    square = im.crop((left, top, left + side, top + side)) if im.width != im.height else im
    if square.mode == "1":
        square = square.convert("L")
    elif square.mode in ("P", "PA"):
        square = square.convert("RGBA" if square.has_transparency_data else "RGB")
    elif square.mode.startswith("I;16"):
        square = square.convert("I")
    factor = side // _WORKING_SIDE
    if factor >= 2:
        return square.reduce(factor)
    return square.copy() if square is im else square


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, as phones store portraits sideways."""
    try:
        return ImageOps.exif_transpose(im)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, struct.error):
        # Broken EXIF is common in camera files and no reason to refuse the
        # picture; it is only shown the way it was stored.
        return im.copy()


def _flatten_to_srgb(im: Image.Image) -> Image.Image:
    """Return an RGB image in sRGB, transparency painted onto white.

    The ICC profile is dropped from the output, so colours are converted to
    sRGB first; otherwise a Display P3 photo from a phone would look washed out.
    """
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit greyscale PNG: Pillow's own conversion to RGB clips to white.
        im = im.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = im.has_transparency_data
    im = im.convert("RGBA" if has_alpha else ("CMYK" if im.mode == "CMYK" else "RGB"))
    im = _to_srgb(im)
    if im.mode == "RGBA":
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        return flat
    return im.convert("RGB")


def _to_srgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if not icc:
        return im
    try:
        converted = ImageCms.profileToProfile(
            im,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            _srgb_profile(),
            outputMode="RGBA" if im.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # An unreadable or mismatched profile: show the pixels as they are.
        return im
    return converted if converted is not None else im


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _encode_square(im: Image.Image, size: int) -> bytes:
    # Crop the centre square and resize in one step (box=), which keeps
    # sub-pixel accuracy and avoids a full-size intermediate copy.
    side = min(im.width, im.height)
    left = (im.width - side) // 2
    top = (im.height - side) // 2
    square = im.resize(
        (size, size),
        Image.Resampling.LANCZOS,
        box=(left, top, left + side, top + side),
        reducing_gap=3.0,
    )
    # resize() copies .info, which still holds the original EXIF and ICC
    # profile. Clear it and pass empty metadata explicitly, so no Pillow
    # version's defaults can carry them into the output.
    square.info = {}
    out = io.BytesIO()
    square.save(
        out,
        "WEBP",
        quality=WEBP_QUALITY,
        method=WEBP_METHOD,
        exif=b"",
        icc_profile=None,
        xmp=b"",
    )
    return out.getvalue()


def _has_allowed_signature(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        data.startswith(b"RIFF") and data[8:12] == b"WEBP"
    )


def _damaged() -> ImageRejected:
    return ImageRejected(_("That picture is damaged or unreadable."), code="damaged")


def format_bytes(count: int) -> str:
    # Decimal units, as the limit is configured (SOUNDOFF_AVATAR_MAX_BYTES=2_000_000
    # is "2 MB"), not the binary ones of Django's filesizeformat ("1.9 MB").
    if count >= 1_000_000:
        return _("%(size)s MB") % {"size": _one_decimal(count / 1_000_000)}
    if count >= 1_000:
        return _("%(size)s KB") % {"size": _one_decimal(count / 1_000)}
    return ngettext("%(size)d byte", "%(size)d bytes", count) % {"size": count}


def _format_megapixels(pixels: int) -> str:
    return _one_decimal(pixels / 1_000_000)


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
