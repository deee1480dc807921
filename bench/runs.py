"""What the benchmark commands (bench/run, bench/instances, bench/live) share:
the environment Soundoff is started in, their progress lines, and the
granian workers option."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

# Rate limits raised far past the load: the benchmark measures the write
# path, not the limiter saying no (which is what it would do otherwise).
UNLIMITED = "1000000000/60"

# The caller's own database, broker and test switches must not leak into a
# server the benchmark starts: each run says which it uses.
_NOT_INHERITED = frozenset({"DATABASE_URL", "REDIS_URL", "SOUNDOFF_TESTING", "SOUNDOFF_DEBUG"})


def soundoff_env(
    data_dir: Path,
    *,
    secret: str | None = None,
    settings_module: str = "soundoff.settings",
    **more: str,
) -> dict[str, str]:
    """The environment of a Soundoff under load: its data in ``data_dir``,
    no rate limit in the way, ``more`` on top. A new secret key unless
    ``secret`` is given (servers that share sessions need the same one)."""
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        SOUNDOFF_DATA_DIR=str(data_dir),
        SOUNDOFF_SECRET_KEY=secret or secrets.token_urlsafe(40),
        SOUNDOFF_COMMENT_RATE=UNLIMITED,
        SOUNDOFF_COMMENT_RATE_SUSTAINED=UNLIMITED,
        SOUNDOFF_IP_COMMENT_RATE=UNLIMITED,
        SOUNDOFF_IP_COMMENT_RATE_SUSTAINED=UNLIMITED,
        **more,
    )
    return env


def say(message: str) -> None:
    """A progress line on stderr, stamped, so stdout keeps only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def add_workers_option(parser: argparse.ArgumentParser, *, per: str = "") -> None:
    """``--workers``: granian workers, one per core by default as bin/run starts."""
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help=f"granian workers{per} (default: one per core, as bin/run starts)",
    )
