"""Values that every write reads and that change a few times a year.

The policies in force, their Rules of Conduct and the word lists are read
by every new comment. Each is kept in this process's memory beside the
version it was read at; the version itself is a token in the "shared"
cache (Redis, or the SQLite file the workers of one machine share), so a
change made through any process (the admin, a moderator's page, a
command) reaches every worker at its next read: one cache get where there
were queries.

A change calls ``bump()``, which moves the version twice: at once, so the
writing process (and a reader in its own transaction) sees the change
immediately, and again after the commit, because another process may have
read the data between the first bump and the commit and kept the old rows
under the new token. A value can also go stale by itself at a known time
(a policy version scheduled to come into force): the loader says when.
``MAX_AGE`` bounds how long a value is trusted if a bump was lost (the
process died between its commit and the bump, or the cache was down).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_AGE = 300.0  # seconds a value is trusted without seeing its version move


class Loaded[T](NamedTuple):
    value: T
    # When the value goes stale with no write (None: only a write changes it).
    stale_at: datetime | None = None


class _Kept[T](NamedTuple):
    token: str
    value: T
    stale_at: datetime | None
    read_at: float


class Versioned[T]:
    def __init__(self, name: str, load: Callable[[], Loaded[T]]) -> None:
        self.key = f"soundoff:version:{name}"
        self.load = load
        self._kept: _Kept[T] | None = None

    def get(self) -> T:
        """The value, read again only when its version has moved."""
        try:
            token = self._token()
        except Exception:
            logger.warning("Version of %s unreadable; reading it afresh.", self.key)
            token = None
        if token is None:
            # No shared cache to keep a version in (it is down, or turned
            # off): read the database every time, keep nothing.
            return self.load().value
        kept = self._kept
        if (
            kept is not None
            and kept.token == token
            and time.monotonic() - kept.read_at < MAX_AGE
            and (kept.stale_at is None or timezone.now() < kept.stale_at)
        ):
            return kept.value
        loaded = self.load()
        # Tuple assignment is atomic: threads see the old value or the new.
        self._kept = _Kept(token, loaded.value, loaded.stale_at, time.monotonic())
        return loaded.value

    def forget(self) -> None:
        """Read the database at the next get(), whatever the version says:
        for a caller that must not act on a value whose bump was lost."""
        self._kept = None

    def bump(self) -> None:
        """Record a change: now, and once more after the caller's commit."""
        self._move()
        transaction.on_commit(self._move)

    def _token(self) -> str | None:
        cache = caches["shared"]
        token = cache.get(self.key)
        if token is None:
            # First read since the cache was emptied: whoever adds first
            # sets the version everyone reads.
            cache.add(self.key, secrets.token_hex(8), timeout=None)
            token = cache.get(self.key)
        return None if token is None else str(token)

    def _move(self) -> None:
        try:
            caches["shared"].set(self.key, secrets.token_hex(8), timeout=None)
        except Exception:
            logger.warning("Could not move the version of %s.", self.key)
        self._kept = None
