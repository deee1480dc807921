"""The live events and stream slots that the workers of one machine share.

Without Redis, ``bin/run`` still serves with one worker per core, and a
comment posted through one worker must reach the streams held by every
other, numbered the same for all of them, so that a browser reconnecting
to any worker resumes where it left off. This journal is a SQLite file
beside the database (WAL, ``synchronous=NORMAL``: no fsync on any write,
and a SIGKILL loses nothing): publishing an event is one short write
transaction that gives it the next number of its thread's sequence and
the next id of the journal; each serving worker follows the journal by
id. Its write lock is what keeps the ids in commit order, so a follower
that has read up to id N never sees an id below N commit later.

Numbers survive a restart of the server (the epoch is stored here, made
when the file is), so readers reconnecting after one catch up instead of
being told to reload. Each thread keeps its last SOUNDOFF_LIVE_HISTORY
events; any event older than three stream lifetimes goes, as it does in
Redis. Publishing costs ~0.1 ms (bench/shared_state.py; in that run a
durable insert into the main database cost as much on a VM whose fsync is
cheap, and it would hold the write lock that comments queue on).

The file is created mode 0600: whoever can write to it can put HTML in
front of readers.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import time
from pathlib import Path
from typing import Final

from django.conf import settings
from django.utils.crypto import salted_hmac

from soundoff.lib.sqlitecache import Connections

from .events import Delivery, LiveEvent

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sequence (thread INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    created REAL NOT NULL,
    event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_thread ON event (thread, seq);
CREATE TABLE IF NOT EXISTS stream_slot (
    token TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_slot_address ON stream_slot (address, expires);
"""
# A thread's events past its history are removed at every TRIM_EVERY-th of
# its events (each trim rewrites pages, and the WAL's checkpoints sync
# them); events older than the TTL every EXPIRE_EVERY appends of a process.
TRIM_EVERY: Final = 10
EXPIRE_EVERY: Final = 1000
_SLOT_SALT = "soundoff.live.limits"
# AF_UNIX paths are limited to 108 bytes; past this, the temporary directory.
_MAX_PATH = 100


def location() -> Path:
    """Where this site's journal lives, without its suffix; the relay's
    sockets go in a directory of this name, unless the path is too long for
    a socket's name. The name comes from the database and the data
    directory, so a test run and a development server on one machine never
    hear each other."""
    database = settings.DATABASES["default"]
    identity = "|".join(
        [
            *(str(database.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME")),
            str(settings.DATA_DIR),
        ]
    )
    name = f"live-{hashlib.sha256(identity.encode()).hexdigest()[:16]}"
    return Path(settings.DATA_DIR) / name


def sockets_directory() -> Path:
    path = location()
    # Room for "<pid>-<random>.sock" within AF_UNIX's 108 bytes.
    if len(str(path)) + 32 > _MAX_PATH:
        path = Path(tempfile.gettempdir()) / f"soundoff-{path.name}"
    return path


def event_ttl() -> float:
    return max(3 * settings.SOUNDOFF_LIVE_MAX_AGE, 600)


class Journal:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or location().with_suffix(".sqlite3")
        self._db = Connections(self.path, schema=_SCHEMA)
        self._appends = 0

    def epoch(self) -> str:
        db = self._db()
        db.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('epoch', ?)",
            (secrets.token_hex(4),),
        )
        return str(db.execute("SELECT value FROM meta WHERE name = 'epoch'").fetchone()[0])

    def append(self, event: LiveEvent) -> int:
        """Number ``event`` in its thread's sequence and journal it; returns
        its number."""
        thread = event["thread"]
        now = time.time()
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            (seq,) = db.execute(
                "INSERT INTO sequence (thread, seq) VALUES (?, 1) "
                "ON CONFLICT (thread) DO UPDATE SET seq = seq + 1 RETURNING seq",
                (thread,),
            ).fetchone()
            db.execute(
                "INSERT INTO event (thread, seq, created, event) VALUES (?, ?, ?, ?)",
                (thread, seq, now, json.dumps(event, separators=(",", ":"))),
            )
            if seq % TRIM_EVERY == 0:
                db.execute(
                    "DELETE FROM event WHERE thread = ? AND seq <= ?",
                    (thread, seq - settings.SOUNDOFF_LIVE_HISTORY),
                )
            self._appends += 1
            if self._appends % EXPIRE_EVERY == 0:
                db.execute("DELETE FROM event WHERE created < ?", (now - event_ttl(),))
                db.execute("DELETE FROM stream_slot WHERE expires <= ?", (now,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return int(seq)

    def last_id(self) -> int:
        return int(self._db().execute("SELECT coalesce(max(id), 0) FROM event").fetchone()[0])

    def since(self, last_id: int) -> list[tuple[int, Delivery]]:
        """Events journalled after ``last_id``, in the order they were numbered."""
        rows = self._db().execute(
            "SELECT id, seq, event FROM event WHERE id > ? ORDER BY id", (last_id,)
        )
        return [(row_id, Delivery(seq=seq, event=json.loads(raw))) for row_id, seq, raw in rows]

    def last_seq(self, thread: int) -> int:
        row = self._db().execute("SELECT seq FROM sequence WHERE thread = ?", (thread,)).fetchone()
        return int(row[0]) if row else 0

    def history(self, thread: int) -> tuple[list[Delivery], int]:
        """A thread's last SOUNDOFF_LIVE_HISTORY events within the TTL,
        oldest first, and its last number."""
        db = self._db()
        last = self.last_seq(thread)
        rows = db.execute(
            "SELECT seq, event FROM event WHERE thread = ? AND seq > ? AND created >= ? "
            "ORDER BY seq",
            (thread, last - settings.SOUNDOFF_LIVE_HISTORY, time.time() - event_ttl()),
        ).fetchall()
        return [Delivery(seq=seq, event=json.loads(raw)) for seq, raw in rows], last

    # --- stream slots (SOUNDOFF_LIVE_STREAMS_PER_IP) ---

    @staticmethod
    def _address(ip: str) -> str:
        # Never an address in clear on disk.
        return salted_hmac(_SLOT_SALT, ip, algorithm="sha256").hexdigest()[:32]

    def take_slot(self, ip: str) -> str | None:
        """A token for one more stream from ``ip``, or None at the cap.
        Slots expire a minute after the longest a stream lives, so those of
        a worker killed without closing its streams come back by themselves."""
        address = self._address(ip)
        now = time.time()
        token = secrets.token_hex(8)
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "DELETE FROM stream_slot WHERE address = ? AND expires <= ?", (address, now)
            )
            (held,) = db.execute(
                "SELECT count(*) FROM stream_slot WHERE address = ?", (address,)
            ).fetchone()
            taken = held < settings.SOUNDOFF_LIVE_STREAMS_PER_IP
            if taken:
                db.execute(
                    "INSERT INTO stream_slot (token, address, expires) VALUES (?, ?, ?)",
                    (token, address, now + settings.SOUNDOFF_LIVE_MAX_AGE + 60),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return token if taken else None

    def free_slot(self, token: str) -> None:
        self._db().execute("DELETE FROM stream_slot WHERE token = ?", (token,))
