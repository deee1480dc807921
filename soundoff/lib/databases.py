"""The database settings, read from the environment: PostgreSQL from
DATABASE_URL, or SQLite in the data directory (soundoff.settings)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from soundoff.lib.environment import env_bool, env_str


def postgresql_settings(url: str, *, pool: bool) -> dict[str, Any]:
    """DATABASE_URL read as PostgreSQL, the one database server Soundoff runs on.

    The message never repeats the URL: it may hold the database's password.
    """
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError:
        config = {}
    if config.get("ENGINE") != "django.db.backends.postgresql" or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL must be a PostgreSQL URL naming a database, such as "
            "postgres://soundoff:password@db.example.org:5432/soundoff, not one starting "
            f"{urlsplit(url).scheme or url[:1]!r}; unset it to use SQLite in SOUNDOFF_DATA_DIR."
        )
    config["OPTIONS"] = {"pool": {"min_size": 1, "max_size": 8} if pool else False}
    config["CONN_MAX_AGE"] = 0
    return config


def database_settings(data_dir: Path) -> dict[str, Any]:
    """DATABASES["default"]: PostgreSQL when DATABASE_URL is set, else
    SQLite in ``data_dir``."""
    # Read whether or not DATABASE_URL is set, so that a mistyped value is
    # refused before the day PostgreSQL is switched on.
    pool = env_bool("SOUNDOFF_DB_POOL", True)
    url = env_str("DATABASE_URL")
    if url:
        return postgresql_settings(url, pool=pool)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "soundoff.sqlite3",
        # Each serving thread keeps its connection: opening one (the file,
        # the pragmas below) cost more than a cached page's whole answer
        # (bench/profile_read.py).
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # WAL lets readers run beside the writer; synchronous=FULL makes
            # every acknowledged commit survive a power cut or a SIGKILL.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;"
            ),
            # Writers take the lock at BEGIN, so two writers queue on
            # busy_timeout instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
        },
        # Tests use a file too (not Django's shared-cache memory database,
        # whose table locks ignore busy_timeout), one per test process.
        "TEST": {"NAME": Path(tempfile.gettempdir()) / f"soundoff-test-{os.getpid()}.sqlite3"},
    }
