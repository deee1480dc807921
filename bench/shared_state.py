"""Micro-benchmark: what sharing state between local workers costs.

Not part of bench/run. Times, in one process and one run, the operations
that must be shared by the web workers of one machine when there is no
Redis, against the per-process LocMemCache they replace:

- a rate-limit hit (``add`` + ``incr``; a comment makes four), in
  LocMemCache, soundoff.lib.sqlitecache, Django's DatabaseCache on the
  main SQLite database (synchronous=FULL) and FileBasedCache;
- a cached thread fragment read (``get`` of ~60 KB), LocMemCache against
  the SQLite file, to decide whether pure caches should stay per process.

    SOUNDOFF_SECRET_KEY=x .venv/bin/python bench/shared_state.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

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

    def hits(alias: str) -> float:
        cache = caches[alias]
        start = time.perf_counter()
        for i in range(N):
            key = f"rate:{i % 50}"
            cache.add(key, 0, timeout=61)
            cache.incr(key)
        return (time.perf_counter() - start) / N * 1e6

    fragment = "<li>" + "x" * 60_000 + "</li>"

    def reads(alias: str) -> float:
        cache = caches[alias]
        cache.set("fragment", fragment, 600)
        start = time.perf_counter()
        for _ in range(N):
            cache.get("fragment")
        return (time.perf_counter() - start) / N * 1e6

    results: dict[str, list[float]] = {}
    for _round in range(ROUNDS):  # interleaved rounds, medians
        for alias in ("locmem", "sqlite-file", "database", "file"):
            results.setdefault(f"hit {alias}", []).append(hits(alias))
        for alias in ("locmem", "sqlite-file"):
            results.setdefault(f"get 60 KB {alias}", []).append(reads(alias))
    base = {"hit": statistics.median(results["hit locmem"])}
    base["get"] = statistics.median(results["get 60 KB locmem"])
    print(f"{'operation':<24} {'µs (median of 5)':>18} {'x locmem':>10}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:<24} {median:>18.1f} {median / base[name.split()[0]]:>10.1f}")


if __name__ == "__main__":
    main()
