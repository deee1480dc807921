"""soundoff.lib.versioned: values kept in memory until their version moves."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.utils import timezone

from soundoff.lib import versioned
from soundoff.lib.versioned import Loaded, Versioned

# A bump registers its second move with the connection's transaction.
pytestmark = pytest.mark.django_db


class Source:
    """What the database would answer, and how often it was asked."""

    def __init__(self) -> None:
        self.value = "first"
        self.stale_at = None
        self.reads = 0

    def load(self) -> Loaded[str]:
        self.reads += 1
        return Loaded(self.value, stale_at=self.stale_at)


@pytest.fixture
def source() -> Source:
    return Source()


def test_it_reads_once_until_the_version_moves(source):
    kept = Versioned("test-a", source.load)
    assert [kept.get(), kept.get(), kept.get()] == ["first"] * 3
    assert source.reads == 1
    source.value = "second"
    kept.bump()
    assert kept.get() == "second"
    assert source.reads == 2


def test_a_bump_in_one_process_reaches_the_others(source):
    # Two instances of one name are two processes' memories: they share
    # only the version in the shared cache.
    here, there = Versioned("test-b", source.load), Versioned("test-b", source.load)
    assert (here.get(), there.get()) == ("first", "first")
    source.value = "second"
    here.bump()
    assert there.get() == "second"


def test_an_emptied_cache_makes_every_process_read_again(source):
    kept = Versioned("test-c", source.load)
    kept.get()
    caches["shared"].clear()
    source.value = "second"
    assert kept.get() == "second"


def test_a_value_due_to_change_is_read_again_when_it_is_due(source):
    kept = Versioned("test-d", source.load)
    source.stale_at = timezone.now() - timedelta(seconds=1)  # e.g. a policy now in force
    kept.get()
    kept.get()
    assert source.reads == 2
    source.stale_at = timezone.now() + timedelta(days=1)
    kept.get()
    kept.get()
    assert source.reads == 3


def test_a_lost_bump_is_outlived_by_the_maximum_age(source, monkeypatch):
    kept = Versioned("test-e", source.load)
    kept.get()
    monkeypatch.setattr(versioned, "MAX_AGE", 0.0)
    source.value = "second"
    assert kept.get() == "second"


@pytest.mark.django_db(transaction=True)
def test_a_bump_moves_the_version_again_after_the_commit(source):
    from django.db import transaction

    here, there = Versioned("test-f", source.load), Versioned("test-f", source.load)
    with transaction.atomic():
        here.bump()
        # Another process reads before the commit and keeps the old rows
        # under the new version...
        there.get()
        source.value = "committed"
    # ...which the second move, after the commit, makes it read again.
    assert there.get() == "committed"


def test_without_a_shared_cache_it_reads_every_time(source, monkeypatch):
    # As bench/run's cold-page settings configure it: the shared cache off.
    monkeypatch.setattr(versioned, "caches", {"shared": DummyCache("shared", {})})
    kept = Versioned("test-g", source.load)
    kept.get()
    source.value = "second"
    assert kept.get() == "second"
    assert source.reads == 2


def test_forgetting_reads_afresh_though_the_version_did_not_move(source):
    # What a caller does that must not act on a change whose bump was lost.
    kept = Versioned("test-forget", source.load)
    assert kept.get() == "first"
    source.value = "second"
    assert kept.get() == "first"
    kept.forget()
    assert kept.get() == "second"
    assert kept.get() == "second"
    assert source.reads == 2
