"""Fixed-window rate limits counted in Django's "shared" cache.

That cache is a SQLite file shared by the workers of one machine, and
Redis once REDIS_URL is set, so every worker and every app instance behind
a load balancer counts in the same place (see settings.CACHES).
A fixed window lets a burst of up to twice the limit straddle a window
boundary; that is accepted for what it buys: one atomic increment per hit,
no read-modify-write race, and nothing to clean up.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

_KEY_SALT = "soundoff.lib.ratelimit"
# Attempts at creating a bucket that expired between add() and incr(). One
# retry resolves the race; more only matter under pathological eviction.
_ATTEMPTS = 3
_RATE = re.compile(r"(?P<limit>[0-9]+)/(?P<window>[0-9]+)")


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` hits per ``window`` seconds."""

    limit: int
    window: int


@dataclass(frozen=True)
class RateDecision:
    """Whether a hit may proceed and, if not, how many seconds until it may."""

    allowed: bool
    retry_after: int


def parse_rate(spec: str, *, setting: str = "") -> Rate:
    """Parse a rate setting such as "5/60" (five per sixty seconds).

    Raises ImproperlyConfigured, because a bad rate is an operator's
    configuration mistake and should stop with a message that says how to
    write it, not limit everyone (or no one) by accident. Pass ``setting``,
    the setting's name, so that the message points at it.
    """
    match = _RATE.fullmatch(spec.strip())
    if match is None or int(match["limit"]) < 1 or int(match["window"]) < 1:
        where = f"{setting} must be" if setting else "A rate must be"
        raise ImproperlyConfigured(
            f"{where} written as hits/seconds with two whole numbers above zero, "
            f'e.g. "5/60" for five a minute, not {spec!r}.'
        )
    return Rate(limit=int(match["limit"]), window=int(match["window"]))


def _bucket(key: str, rate: Rate, window_number: int) -> str:
    """Name the cache entry counting ``key`` in one window.

    The key is an HMAC, not the key itself: callers key on IP and e-mail
    addresses, and those must not sit in clear in Redis (where key names show
    up in monitoring and dumps). A plain SHA-256 of an IPv4 address could be
    reversed by trying all four billion; the HMAC, keyed by SECRET_KEY,
    cannot. The window length is part of the name so that two rates on the
    same key never share a counter.
    """
    digest = salted_hmac(_KEY_SALT, key, algorithm="sha256").hexdigest()
    return f"soundoff:ratelimit:{digest}:{rate.window}:{window_number}"


def _increment(bucket: str, timeout: int) -> int:
    """Add one to ``bucket`` atomically and return the new count.

    ``add`` creates the counter only if it is missing, so two instances
    racing to create it don't reset each other's counts; ``incr`` is atomic
    in the SQLite file and in Redis. If the entry expires (or is evicted) between
    the two calls, ``incr`` raises ValueError and we create it again.
    """
    cache = caches["shared"]
    for _attempt in range(_ATTEMPTS):
        cache.add(bucket, 0, timeout=timeout)
        try:
            return cache.incr(bucket)
        except ValueError:
            continue
    # The cache is not keeping what we write: count this hit as the first
    # rather than fail the request over a rate limit.
    return 1


def hit(key: str, rate: Rate, *, now: float | None = None) -> RateDecision:
    """Count one hit for ``key`` and say whether it is within ``rate``.

    Every call counts, including refused ones, so that hammering a limit
    does not get cheaper. ``now`` (a Unix timestamp) is for tests.
    """
    now = time.time() if now is None else now
    window_number = int(now // rate.window)
    # One second past the window's length so that the entry outlives the
    # window it counts even when it is created at the window's very start.
    count = _increment(_bucket(key, rate, window_number), timeout=rate.window + 1)
    if count <= rate.limit:
        return RateDecision(allowed=True, retry_after=0)
    window_end = (window_number + 1) * rate.window
    retry_after = min(max(math.ceil(window_end - now), 1), rate.window)
    return RateDecision(allowed=False, retry_after=retry_after)
