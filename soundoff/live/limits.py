"""The cap on open streams per client address (SOUNDOFF_LIVE_STREAMS_PER_IP).

Counted across every worker: without Redis in the journal the workers of
one machine share (journal.py), with Redis across every instance, in one
sorted set per address. Either way each slot expires on its own a minute
after the longest a stream can live, so the slots of a worker that died
without closing its streams come back by themselves, and addresses are
keyed by an HMAC, never stored in clear.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

from .journal import Journal

_KEY_SALT = "soundoff.live.limits"

# Drop expired members, then take a slot if fewer than the cap are held.
_ACQUIRE_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class StreamSlots:
    async def acquire(self, ip: str) -> str | None:
        """A token for one more stream from ``ip``, or None at the cap."""
        raise NotImplementedError

    async def release(self, ip: str, token: str) -> None:
        raise NotImplementedError


class LocalStreamSlots(StreamSlots):
    """Slots counted in the journal, across the workers of this machine.
    Taken off the event loop: a write may wait its turn for the file."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    async def acquire(self, ip: str) -> str | None:
        return await asyncio.to_thread(self._journal.take_slot, ip)

    async def release(self, ip: str, token: str) -> None:
        await asyncio.to_thread(self._journal.free_slot, token)


class SharedStreamSlots(StreamSlots):
    """Slots counted in Redis, across every instance."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._acquire = client.register_script(_ACQUIRE_SCRIPT)

    @staticmethod
    def _key(ip: str) -> str:
        digest = salted_hmac(_KEY_SALT, ip, algorithm="sha256").hexdigest()[:32]
        return f"{settings.SOUNDOFF_LIVE_PREFIX}:streams:{digest}"

    async def acquire(self, ip: str) -> str | None:
        now = time.time()
        lifetime = settings.SOUNDOFF_LIVE_MAX_AGE + 60
        token = secrets.token_hex(8)
        taken = await self._acquire(
            keys=[self._key(ip)],
            args=[now, settings.SOUNDOFF_LIVE_STREAMS_PER_IP, now + lifetime, token, lifetime],
        )
        return token if taken else None

    async def release(self, ip: str, token: str) -> None:
        await self._client.zrem(self._key(ip), token)
