"""soundoff.lib.shared.AnswerMemory: a process's stored answers as objects,
with LocMemCache's contract (expiry, a bound on entries, add, touch)."""

import threading
import time

import pytest

from soundoff.lib.shared import AnswerMemory


@pytest.fixture
def memory():
    made = AnswerMemory("test-answers", {"OPTIONS": {"MAX_ENTRIES": 2}})
    made.clear()
    yield made
    made.clear()


def test_an_entry_comes_back_as_the_same_object(memory):
    entry = ["headers", b"body"]
    memory.set("k", entry)
    assert memory.get("k") is entry
    assert memory.get("missing", "default") == "default"


def test_the_least_recently_read_entry_goes_first(memory):
    memory.set("a", 1)
    memory.set("b", 2)
    memory.get("a")
    memory.set("c", 3)
    assert (memory.get("a"), memory.get("b"), memory.get("c")) == (1, None, 3)


def test_an_entry_expires(memory, monkeypatch):
    memory.set("k", 1, timeout=10)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 11)
    assert memory.get("k") is None


def test_add_touch_delete_and_clear(memory):
    assert memory.add("k", 1)
    assert not memory.add("k", 2)
    assert memory.get("k") == 1
    assert memory.touch("k", timeout=None)
    assert not memory.touch("missing")
    assert memory.delete("k")
    assert not memory.delete("k")
    memory.set("k", 1)
    memory.clear()
    assert memory.get("k") is None


def test_every_thread_sees_the_same_entries(memory):
    """Django makes a cache object per thread."""
    memory.set("k", 1)
    seen = []
    thread = threading.Thread(
        target=lambda: seen.append(AnswerMemory("test-answers", {}).get("k"))
    )
    thread.start()
    thread.join()
    assert seen == [1]
