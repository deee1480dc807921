"""Peak memory of checking one profile picture, bomb by bomb.

    .venv/bin/python -m bench.avatars

Each picture is processed by soundoff.lib.images.process_avatar in a fresh
Python process, under the default limits; the table gives the outcome and
how far the process's peak resident memory (VmHWM, reset just before the
call) rose above its resident memory then. Pillow allocates pixels with C malloc, outside
tracemalloc's view, so the resident peak is the honest measure. Pictures
are made in memory and written to bench/.work/avatars/; nothing else is
written. Takes about a minute.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "avatars"


def _save(im: object, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)  # type: ignore[attr-defined]
    return out.getvalue()


def _lying_jpeg(*, progressive: bool) -> bytes:
    """A 64x64 JPEG whose frame header claims 4000x4000."""
    from PIL import Image

    data = bytearray(_save(Image.new("RGB", (64, 64), "red"), "JPEG", progressive=progressive))
    sof = data.find(b"\xff\xc2" if progressive else b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 4000, 4000)
    return bytes(data)


def _animated(fmt: str, frames: int, size: tuple[int, int]) -> bytes:
    from PIL import Image

    first, *rest = [Image.new("RGB", size, (i % 256, 0, 0)) for i in range(frames)]
    return _save(first, fmt, save_all=True, append_images=rest, duration=20, loop=0)


def pictures() -> dict[str, Callable[[], bytes]]:
    from PIL import Image

    return {
        "photo JPEG 4000x3000": lambda: _save(
            Image.linear_gradient("L").resize((4000, 3000)).convert("RGB"), "JPEG", quality=85
        ),
        "progressive JPEG 4000x4000": lambda: _save(
            Image.new("RGB", (4000, 4000), "red"), "JPEG", progressive=True
        ),
        "JPEG, header lies (4000x4000)": lambda: _lying_jpeg(progressive=False),
        "progressive JPEG, header lies": lambda: _lying_jpeg(progressive=True),
        "1-bit PNG 16000x1000": lambda: _save(Image.new("1", (16000, 1000)), "PNG"),
        "1-bit PNG 4000x4000": lambda: _save(Image.new("1", (4000, 4000)), "PNG"),
        "palette PNG 4000x4000": lambda: _save(Image.new("P", (4000, 4000)), "PNG"),
        "16-bit grey PNG 4000x4000": lambda: _save(Image.new("I;16", (4000, 4000)), "PNG"),
        "RGBA PNG 4000x4000": lambda: _save(Image.new("RGBA", (4000, 4000), "red"), "PNG"),
        "GIF 4000x4000": lambda: _save(Image.new("P", (4000, 4000)), "GIF"),
        "WebP 4000x4000": lambda: _save(
            Image.new("RGB", (4000, 4000), "red"), "WEBP", lossless=True
        ),
        "GIF 2000x2000, 50 frames": lambda: _animated("GIF", 50, (2000, 2000)),
        "WebP 2000x2000, 50 frames": lambda: _animated("WEBP", 50, (2000, 2000)),
    }


def estimate(data: bytes) -> int:
    """What soundoff.lib.images expects the decode to take, from the header."""
    from PIL import Image

    from soundoff.lib import images

    with Image.open(io.BytesIO(data)) as im:
        coefficients = 0
        if im.format == "JPEG":
            coefficients = images._jpeg_coefficient_bytes(im, data)
            im.draft("RGB", (images._WORKING_SIDE, images._WORKING_SIDE))
        return images._decode_bytes(im, coefficients)


def measure(path: Path, budget: int) -> dict[str, object]:
    """Run in the child: process one picture, report outcome and peak."""
    from django.conf import settings

    settings.configure(USE_I18N=False)
    from soundoff.lib.images import ImageRejected, process_avatar

    data = path.read_bytes()
    expected = estimate(data)
    # Start the high-water mark afresh (Linux): imports peaked above what
    # most pictures need, and would hide them.
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    try:
        process_avatar(
            io.BytesIO(data), max_bytes=2_000_000, max_pixels=16_000_000, max_decode_bytes=budget
        )
        outcome = "accepted"
    except ImageRejected as error:
        outcome = error.code
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    return {
        "outcome": outcome,
        "peak_mb": (peak - before) / 1024,
        "estimate_mb": expected / 1_000_000,
        "ms": seconds * 1000,
    }


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--budget",
        type=int,
        default=64_000_000,
        help="max_decode_bytes (the default of SOUNDOFF_AVATAR_MAX_DECODE_BYTES); "
        "a huge one measures what each picture would take",
    )
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.budget)))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"budget {args.budget / 1_000_000:g} MB")
    print(
        f"{'picture':32} {'bytes':>8} {'outcome':>15} {'estimate MB':>11} {'peak MB':>8} {'ms':>6}"
    )
    for number, (name, make) in enumerate(pictures().items()):
        path = WORK / f"{number:02d}.bin"
        data = make()
        path.write_bytes(data)
        done = subprocess.run(  # noqa: S603 - this script, fixed arguments
            [
                sys.executable,
                "-m",
                "bench.avatars",
                "--one",
                str(path),
                "--budget",
                str(args.budget),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            print(f"{name:32} {len(data):>8} failed: {done.stderr.strip()[-200:]}")
            continue
        out = json.loads(done.stdout)
        print(
            f"{name:32} {len(data):>8} {out['outcome']:>15} {out['estimate_mb']:>11.1f} "
            f"{out['peak_mb']:>8.1f} {out['ms']:>6.0f}"
        )


if __name__ == "__main__":
    main()
