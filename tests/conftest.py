"""Fixtures shared by every test module: one cast, built by soundoff.testing,
and one real Chromium for every browser test (Playwright's sync API allows
only one driver per thread, so tests/browser and tests/live share this)."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from soundoff import testing
from soundoff.accounts.models import User


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits live in the cache; each test starts with a fresh count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_password_hashing(settings):
    """For tests that make many readers and are not about passwords: Argon2
    at its production cost would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def make_moderator(policies) -> Callable[[str], User]:
    """Make a moderator: a plain reader granted moderation.moderate through
    the group that migration 0002_groups creates, as operators grant it;
    never staff or a superuser, who would pass every permission check."""

    def make(name: str) -> User:
        user = testing.make_reader(name)
        group, _ = Group.objects.get_or_create(name="Moderators")
        group.permissions.add(
            Permission.objects.get(content_type__app_label="moderation", codename="moderate")
        )
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def moderator(make_moderator: Callable[[str], User]) -> User:
    return make_moderator("Mona Moderator")


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
