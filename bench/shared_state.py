"""Micro-benchmark: what sharing state between local workers costs.

Not part of bench/run. Times, in one process and one run, the operations
that must be shared by the web workers of one machine when there is no
Redis, against the per-process LocMemCache they replace:

- a rate-limit hit (``add`` + ``incr``; a comment makes four), in
  LocMemCache, soundoff.lib.sqlitecache, Django's DatabaseCache on the
  main SQLite database (synchronous=FULL) and FileBasedCache;
- a cached thread fragment read (``get`` of ~60 KB), LocMemCache against
  the SQLite file, to decide whether pure caches should stay per process;
- publishing a live event (~2 KB): numbering it in memory (what the
  one-process broker did), journalling it in its own SQLite file and waking
  two listening workers (soundoff.live.journal and relay), and inserting it
  into an events table of the main database in a transaction of its own
  (synchronous=FULL), the alternative that needs no second file;
- how long a journalled event takes to reach a subscriber of a worker
  serving streams on another thread (p50 and p99 of 500).

    SOUNDOFF_SECRET_KEY=x .venv/bin/python bench/shared_state.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported for real once main() has set Django up
    from soundoff.live.events import LiveEvent

ROUNDS = 5
N = 2000


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="soundoff-shared-state-"))
    os.environ["SOUNDOFF_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from django.conf import settings

    settings.CACHES = {
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sqlite-file": {
            "BACKEND": "soundoff.lib.sqlitecache.SQLiteCache",
            "LOCATION": str(data_dir / "shared-cache.sqlite3"),
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache",
        },
        "file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(data_dir / "files"),
        },
    }
    settings.CACHES["default"] = settings.CACHES["locmem"]
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)

    def hits(alias: str) -> tuple[float, float]:
        cache = caches[alias]

        def hit(i: int) -> None:
            key = f"rate:{i % 50}"
            cache.add(key, 0, timeout=61)
            cache.incr(key)

        return timed(hit)

    fragment = "<li>" + "x" * 60_000 + "</li>"

    def reads(alias: str) -> tuple[float, float]:
        cache = caches[alias]
        cache.set("fragment", fragment, 600)
        return timed(lambda _i: cache.get("fragment"))

    publishers = live_publishers()
    results: dict[str, list[tuple[float, float]]] = {}
    for _round in range(ROUNDS):  # interleaved rounds, medians
        for alias in ("locmem", "sqlite-file", "database", "file"):
            results.setdefault(f"hit {alias}", []).append(hits(alias))
        for alias in ("locmem", "sqlite-file"):
            results.setdefault(f"get 60 KB {alias}", []).append(reads(alias))
        for name, publish in publishers.items():
            results.setdefault(f"publish {name}", []).append(timed(publishing_each(publish)))
    medians = {
        name: (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))
        for name, values in results.items()
    }
    base = {kind: medians[name] for kind, name in BASES.items()}
    print("Wall and CPU microseconds per operation (medians of 5 interleaved rounds),")
    print("and their ratios to the per-process baseline (the first row of each kind).")
    print(f"{'operation':<22} {'wall µs':>9} {'CPU µs':>9} {'x wall':>8} {'x CPU':>8}")
    for name, (wall, cpu) in medians.items():
        wall0, cpu0 = base[name.split()[0]]
        print(f"{name:<22} {wall:>9.1f} {cpu:>9.1f} {wall / wall0:>8.1f} {cpu / cpu0:>8.1f}")
    p50, p99 = delivery_latency()
    print(f"journal to subscriber on another thread: p50 {p50:.2f} ms, p99 {p99:.2f} ms")


def event(n: int) -> LiveEvent:
    html = "<li>" + "x" * 2000 + "</li>"
    return {
        "thread": n % 20,
        "version": n,
        "count": n,
        "count_text": {"en": ""},
        "comment": {"id": n, "change": "created", "parent": None, "html": {"en": html}},
    }


BASES = {"hit": "hit locmem", "get": "get 60 KB locmem", "publish": "publish in-memory"}


def publishing_each(publish: Callable[[LiveEvent], None]) -> Callable[[int], None]:
    """What ``timed`` calls: ``publish`` the ``n``th event."""
    return lambda n: publish(event(n))


def timed(operation: Callable[[int], object]) -> tuple[float, float]:
    """Wall and CPU microseconds per call of ``operation(i)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(N):
        operation(i)
    return (time.perf_counter() - wall) / N * 1e6, (time.process_time() - cpu) / N * 1e6


def live_publishers() -> dict[str, Callable[[LiveEvent], None]]:
    import asyncio
    import json
    import threading
    from collections import deque

    from django.db import connection, transaction

    from soundoff.live import relay
    from soundoff.live.journal import Journal

    lock = threading.Lock()
    seqs: dict[int, int] = {}
    kept: dict[int, deque] = {}

    def in_memory(e: LiveEvent) -> None:
        with lock:
            seqs[e["thread"]] = seqs.get(e["thread"], 0) + 1
            kept.setdefault(e["thread"], deque(maxlen=100)).append(e)

    journal = Journal()
    # Two workers listening, as on a 2-core machine.
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    for _ in range(2):
        asyncio.run_coroutine_threadsafe(relay.listen(lambda: None), loop).result()

    def journalled(e: LiveEvent) -> None:
        journal.append(e)
        relay.wake_all()

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_event (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "thread INTEGER NOT NULL, event TEXT NOT NULL)"
        )

    def main_database(e: LiveEvent) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_event (thread, event) VALUES (%s, %s)",
                [e["thread"], json.dumps(e)],
            )

    return {"in-memory": in_memory, "journal": journalled, "main-db": main_database}


def delivery_latency() -> tuple[float, float]:
    import threading

    from soundoff.live.broker import LocalBroker
    from testkit.streams import run_async

    broker = LocalBroker()
    latencies: list[float] = []
    sent: dict[int, float] = {}  # perf_counter() at publishing, by the event's version
    ready = threading.Event()

    async def worker() -> None:
        await broker.start()
        subscriber = broker.subscribe(999)
        ready.set()
        while len(latencies) < 500:
            delivery = await subscriber.next()
            if isinstance(delivery, str):  # a heartbeat
                continue
            latencies.append(time.perf_counter() - sent[delivery.event["version"]])
        await broker.stop()

    def publisher() -> None:
        ready.wait()
        publishing = LocalBroker()  # another process's, as far as it knows
        for n in range(500):
            e = event(n)
            e["thread"] = 999
            sent[n] = time.perf_counter()
            publishing.publish(e)
            time.sleep(0.002)

    threading.Thread(target=publisher, daemon=True).start()
    run_async(worker())
    latencies.sort()
    return latencies[250] * 1e3, latencies[494] * 1e3


if __name__ == "__main__":
    main()
