"""Fixtures shared by every test module: one cast, built by soundoff.testing."""

import pytest
from django.core.cache import cache

from soundoff import testing


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits live in the cache; each test starts with a fresh count.
    cache.clear()
    yield
    cache.clear()


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
