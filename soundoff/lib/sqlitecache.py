"""A Django cache in a SQLite file, shared by the processes of one machine.

Without Redis, the web workers of one server (``SOUNDOFF_WORKERS``) and the
task worker must still count rate limits in one place, or each worker
would allow its own full quota. Local memory is per process; Django's
DatabaseCache would put a durable commit (an fsync under SQLite's
synchronous=FULL) on every hit, inside the same write lock as comments;
FileBasedCache's ``incr`` is a read and a write with nothing between them,
so two workers counting at once lose hits. This file is its own SQLite
database in WAL mode with ``synchronous=NORMAL``: each operation is one
statement, atomic across processes, that never waits for the disk (a power
cut may lose the last counts, never corrupt the file, and rate limits are
worth no more than that). Cost, measured against LocMemCache in one run:
soundoff/lib/README.md.

Integers are stored as SQLite integers, so that ``incr`` is a single
``UPDATE … RETURNING``; every other value is pickled, as Django's own
backends do. The file is created mode 0600 in the data directory: whoever
can write to it can make this process unpickle what they wrote, as with
FileBasedCache, so it shares the trust of the database beside it.
Expired rows are removed every ``CLEAN_EVERY`` writes, and at the first
write after ``CLEAN_SECONDS``, so that a quiet site too keeps its counts
(HMACs of addresses, never the addresses) only briefly, as the Privacy
Policy says.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

CLEAN_EVERY = 1000
CLEAN_SECONDS = 600
# How long opening a new file may retry its switch to WAL (see _use_wal).
WAL_SWITCH_SECONDS = 10
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    expires REAL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entry_expires ON entry (expires);
"""


class Connections:
    """Connections to a machine-local SQLite file of shared state: one per
    thread and process (sqlite3 connections are not to be shared across
    threads, nor used again after a fork), each in autocommit mode, so that
    every statement is its own transaction unless the caller opens one.
    The file is created readable by this user only."""

    def __init__(self, path: str | Path, *, schema: str) -> None:
        self.path = Path(path)
        self.schema = schema
        self._local = threading.local()

    def __call__(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "pid", None) != os.getpid():
            db = self._connect()
            self._local.db = db
            self._local.pid = os.getpid()
        return db

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        old_umask = os.umask(0o177)
        try:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        finally:
            os.umask(old_umask)
        _use_wal(db)
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(self.schema)
        return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL. When several workers open a new file at the
    same instant, SQLite may refuse the switch with "database is locked"
    without waiting on the busy timeout (it needs the file to itself), so
    the switch is tried again for up to WAL_SWITCH_SECONDS."""
    deadline = time.monotonic() + WAL_SWITCH_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


class SQLiteCache(BaseCache):
    """LOCATION is the file's path."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.path = location
        self._db = Connections(location, schema=_SCHEMA)
        self._writes = 0
        self._cleaned = time.monotonic()

    @staticmethod
    def _encode(value: Any) -> Any:
        if type(value) is int and -(2**63) <= value < 2**63:
            return value
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def _decode(stored: Any) -> Any:
        return stored if isinstance(stored, int) else pickle.loads(stored)  # noqa: S301

    def _wrote(self) -> None:
        self._writes += 1
        if self._writes % CLEAN_EVERY == 0 or time.monotonic() - self._cleaned > CLEAN_SECONDS:
            self._cleaned = time.monotonic()
            self._db().execute("DELETE FROM entry WHERE expires <= ?", (time.time(),))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute(
            "INSERT INTO entry (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires "
            "WHERE entry.expires IS NOT NULL AND entry.expires <= ?",
            (key, self._encode(value), self.get_backend_timeout(timeout), time.time()),
        )
        self._wrote()
        return cursor.rowcount > 0

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute(
                "SELECT value FROM entry WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (key, time.time()),
            )
            .fetchone()
        )
        return default if row is None else self._decode(row[0])

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._db().execute(
            "INSERT INTO entry (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
            (key, self._encode(value), self.get_backend_timeout(timeout)),
        )
        self._wrote()

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute(
            "UPDATE entry SET expires = ? WHERE key = ? AND (expires IS NULL OR expires > ?)",
            (self.get_backend_timeout(timeout), key, time.time()),
        )
        return cursor.rowcount > 0

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` in one statement, atomic across processes; a
        missing (or expired) key raises ValueError, as every backend does."""
        made = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute(
                "UPDATE entry SET value = value + ? WHERE key = ? "
                "AND (expires IS NULL OR expires > ?) "
                "AND typeof(value) = 'integer' RETURNING value",
                (delta, made, time.time()),
            )
            .fetchone()
        )
        if row is None:
            raise ValueError(f"Key {key!r} not found, or not a whole number")
        return int(row[0])

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._db().execute("DELETE FROM entry WHERE key = ?", (key,)).rowcount > 0

    def clear(self) -> None:
        self._db().execute("DELETE FROM entry")
