"""Fixtures shared by every test module: one cast, built by soundoff.testing,
and one real Chromium for every browser test (Playwright's sync API allows
only one driver per thread, so tests/browser and tests/live share this)."""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from soundoff import testing

# Each test process counts rate limits in a file of its own, as it has a
# database of its own, so that two runs at once never clear each other's.
_SHARED_CACHE = Path(tempfile.gettempdir()) / f"soundoff-test-shared-{os.getpid()}.sqlite3"


def pytest_configure(config):
    shared = settings.CACHES["shared"]
    if shared["BACKEND"] == "soundoff.lib.sqlitecache.SQLiteCache":
        shared["LOCATION"] = str(_SHARED_CACHE)


def pytest_unconfigure(config):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_SHARED_CACHE}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits live in the shared cache, fragments in the default one;
    # each test starts with fresh counts and nothing rendered.
    for alias in ("default", "shared"):
        caches[alias].clear()
    yield
    for alias in ("default", "shared"):
        caches[alias].clear()


@pytest.fixture
def policies(db):
    testing.ensure_policies()


@pytest.fixture
def alice(policies):
    return testing.make_reader("Alice Reader")


@pytest.fixture
def bob(policies):
    return testing.make_reader("Bob Reader")


@pytest.fixture
def newcomer(policies):
    """Registered, but has not accepted the current policies."""
    return testing.make_reader("New Comer", accepted=False)


@pytest.fixture
def editor(policies):
    return testing.make_reader("Ed Itor", is_staff=True)


@pytest.fixture
def post(db):
    return testing.make_post(headline="Water main breaks downtown", slug="water-main")


@pytest.fixture
def thread(post):
    return post.thread


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, never a download. Skipped without it locally; in
    CI (where CI is set) a missing browser fails, since a suite that quietly
    skips its browser tests proves nothing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing; install it with: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
