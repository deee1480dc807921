"""The cap on open streams per client address (SOUNDOFF_LIVE_STREAMS_PER_IP).

Without Redis the count is this process's; with Redis it is shared by every
instance, held in one sorted set per address whose members expire on their
own a minute after the longest a stream can live, so the slots of an
instance that died without closing its streams come back by themselves.
Addresses are keyed by an HMAC, never written to Redis in clear.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

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
    """Slots held in this process."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}

    async def acquire(self, ip: str) -> str | None:
        """A token for one more stream from ``ip``, or None at the cap."""
        held = self._open.get(ip, 0)
        if held >= settings.SOUNDOFF_LIVE_STREAMS_PER_IP:
            return None
        self._open[ip] = held + 1
        return ip

    async def release(self, ip: str, token: str) -> None:
        held = self._open.get(ip, 0) - 1
        if held > 0:
            self._open[ip] = held
        else:
            self._open.pop(ip, None)


class SharedStreamSlots(StreamSlots):
    """Slots counted in Redis, across every instance."""

    def __init__(self, client: Any) -> None:
        super().__init__()
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
