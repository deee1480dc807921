"""Fixtures for the live-update tests: Redis, streams to close, a browser.

The servers and the SSE client are in testkit.servers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from testkit.streams import Stream


@pytest.fixture(scope="session")
def redis_url() -> str:
    """REDIS_URL, else the local Redis; skipped when none answers, except
    in CI, where a missing Redis is a failure."""
    import redis

    url = os.environ.get("REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (OSError, redis.RedisError) as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Redis tests, but {url} does not answer: {error}")
        pytest.skip(f"Redis at {url} does not answer: {error}")
    return url


@pytest.fixture
def open_streams() -> Iterator[list[Stream]]:
    """Streams opened by a test, closed after it whatever happens."""
    streams: list[Stream] = []
    yield streams
    for stream in streams:
        stream.close()


@pytest.fixture
def chromium(browser: Any) -> Any:
    """The session's one Chromium (tests/conftest.py)."""
    return browser
