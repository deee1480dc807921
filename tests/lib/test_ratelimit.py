from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from soundoff.lib import ratelimit
from soundoff.lib.ratelimit import Rate, RateDecision, hit, parse_rate
from soundoff.lib.sqlitecache import SQLiteCache

# A moment at the very start of a 60-second window.
T0 = 1_700_000_040.0
assert T0 % 60 == 0


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    caches["shared"].clear()
    yield
    caches["shared"].clear()


def test_it_parses_a_rate() -> None:
    assert parse_rate("5/60") == Rate(limit=5, window=60)
    assert parse_rate(" 10/3600 ") == Rate(limit=10, window=3600)


@pytest.mark.parametrize(
    "spec",
    ["five/60", "5/0", "0/60", "5", "5/", "/60", "-5/60", "5/60/2", "5_0/60", "\uff15/60", ""],
)
def test_it_refuses_malformed_rates_and_shows_the_format(spec: str) -> None:
    with pytest.raises(ImproperlyConfigured, match='"5/60"'):
        parse_rate(spec)


def test_it_names_the_setting_when_told_which() -> None:
    with pytest.raises(ImproperlyConfigured, match="SOUNDOFF_COMMENT_RATE must be"):
        parse_rate("lots", setting="SOUNDOFF_COMMENT_RATE")


def test_it_allows_up_to_the_limit_then_refuses() -> None:
    rate = Rate(limit=3, window=60)
    decisions = [hit("reader:1", rate, now=T0 + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[0] == RateDecision(allowed=True, retry_after=0)


def test_it_says_when_to_retry() -> None:
    rate = Rate(limit=1, window=60)
    hit("reader:1", rate, now=T0)
    assert hit("reader:1", rate, now=T0 + 0.5) == RateDecision(allowed=False, retry_after=60)
    assert hit("reader:1", rate, now=T0 + 45.2) == RateDecision(allowed=False, retry_after=15)
    assert hit("reader:1", rate, now=T0 + 59.9) == RateDecision(allowed=False, retry_after=1)


def test_the_window_resets() -> None:
    rate = Rate(limit=1, window=60)
    assert hit("reader:1", rate, now=T0 + 10).allowed
    assert not hit("reader:1", rate, now=T0 + 59).allowed
    assert hit("reader:1", rate, now=T0 + 60).allowed


def test_keys_are_counted_separately() -> None:
    rate = Rate(limit=1, window=60)
    assert hit("reader:1", rate, now=T0).allowed
    assert hit("reader:2", rate, now=T0).allowed
    assert not hit("reader:1", rate, now=T0).allowed


def test_rates_with_different_windows_do_not_share_a_counter() -> None:
    assert hit("ip:203.0.113.9", Rate(limit=1, window=60), now=T0).allowed
    assert hit("ip:203.0.113.9", Rate(limit=1, window=3600), now=T0).allowed


def test_refused_hits_still_count() -> None:
    rate = Rate(limit=2, window=60)
    for i in range(5):
        hit("reader:1", rate, now=T0 + i)
    bucket = ratelimit._bucket("reader:1", rate, int(T0 // 60))
    assert caches["shared"].get(bucket) == 5


def test_it_uses_the_real_clock_by_default() -> None:
    rate = Rate(limit=1, window=3600)
    assert hit("reader:1", rate).allowed
    refused = hit("reader:1", rate)
    assert not refused.allowed
    assert 0 < refused.retry_after <= 3600


def _cache_key_names() -> list[str]:
    """The names stored in the real cache: the SQLite file's, or Redis's keys."""
    cache = caches["shared"]
    if isinstance(cache, SQLiteCache):
        return [name for (name,) in cache._db().execute("SELECT key FROM entry")]
    return [name.decode() for name in cache._cache.get_client().keys("*")]


def test_cache_keys_do_not_contain_the_key_in_clear() -> None:
    hit("203.0.113.9 desk@news.example", Rate(limit=1, window=60), now=T0)
    names = _cache_key_names()
    assert names
    for name in names:
        assert "203.0.113.9" not in name
        assert "desk@news.example" not in name


def test_cache_keys_depend_on_the_secret_key(settings) -> None:
    rate = Rate(limit=1, window=60)
    before = ratelimit._bucket("203.0.113.9", rate, 1)
    settings.SECRET_KEY = "another secret"
    assert ratelimit._bucket("203.0.113.9", rate, 1) != before


def test_it_recreates_a_bucket_that_expires_between_add_and_incr(monkeypatch) -> None:
    cache = caches["shared"]
    real_add = cache.add
    calls = []

    def add_then_expire(key: str, value: int, timeout: int) -> bool:
        added = real_add(key, value, timeout=timeout)
        if not calls:
            cache.delete(key)  # the entry expires just before incr()
        calls.append(key)
        return added

    monkeypatch.setattr(cache, "add", add_then_expire)
    assert hit("reader:1", Rate(limit=1, window=60), now=T0).allowed
    assert len(calls) == 2
    assert not hit("reader:1", Rate(limit=1, window=60), now=T0).allowed


def test_it_lets_the_hit_through_when_the_cache_keeps_nothing(monkeypatch) -> None:
    monkeypatch.setattr(caches["shared"], "add", lambda *args, **kwargs: False)
    assert hit("reader:1", Rate(limit=1, window=60), now=T0).allowed


@given(
    limit=st.integers(min_value=1, max_value=5),
    window=st.integers(min_value=1, max_value=86_400),
    now=st.floats(min_value=0, max_value=4_000_000_000, allow_nan=False),
)
def test_retry_after_is_within_the_window(limit: int, window: int, now: float) -> None:
    caches["shared"].clear()
    rate = Rate(limit=limit, window=window)
    for _ in range(limit):
        assert hit("reader:1", rate, now=now).allowed
    refused = hit("reader:1", rate, now=now)
    assert not refused.allowed
    assert 0 < refused.retry_after <= window
    # Retrying after that long lands in the next window, which is open again.
    assert hit("reader:1", rate, now=now + refused.retry_after).allowed


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (119, "119 seconds"),
        (120, "2 minutes"),
        (121, "3 minutes"),
        (900, "15 minutes"),
    ],
)
def test_it_says_how_long_to_wait(seconds: int, text: str) -> None:
    assert ratelimit.wait_text(seconds) == text


def test_hit_each_stops_at_the_first_refusal_and_reads_the_named_settings(settings) -> None:
    settings.SOUNDOFF_TEST_RATE = "1/3600"
    settings.SOUNDOFF_OTHER_RATE = "5/3600"
    counters = [("first", "SOUNDOFF_TEST_RATE"), ("second", "SOUNDOFF_OTHER_RATE")]
    assert ratelimit.hit_each(counters).allowed

    refused = ratelimit.hit_each(counters)

    assert not refused.allowed and 1 <= refused.retry_after <= 3600
    # "second" was counted once: the refused attempt did not reach it.
    assert hit("second", Rate(limit=2, window=60)).allowed


def test_hit_each_names_a_badly_written_setting(settings) -> None:
    settings.SOUNDOFF_TEST_RATE = "five a minute"
    with pytest.raises(ImproperlyConfigured, match="SOUNDOFF_TEST_RATE"):
        ratelimit.hit_each([("key", "SOUNDOFF_TEST_RATE")])
