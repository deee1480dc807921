"""Soundoff against its own limits, and against itself with help taken away.

The framework floor (a view returning "ok" behind the full middleware), the
durable-commit limit (bare INSERT + COMMIT on the same database), cold reads
(every cache off) and revalidated reads (``If-None-Match``).
"""

from __future__ import annotations

from bench import load, shapes
from bench.harness import Bench
from bench.scenarios import READ_CONCURRENCY, WRITE_CONCURRENCY


def floor(bench: Bench) -> None:
    assert bench.soundoff
    for c in READ_CONCURRENCY:
        bench.drive(
            f"floor/c{c}", bench.soundoff, load.get("/bench/floor/"), concurrency=c, seconds=4.0
        )


def commit_limit(bench: Bench) -> None:
    """At 1 and 16 writers; the loop itself is bench/soundoff_data.py's,
    in ``manage.py shell`` with the server's database settings."""
    for threads in WRITE_CONCURRENCY:
        seconds = 2.0 if bench.quick else 5.0
        out = bench.soundoff_data(action="commit_limit", threads=threads, seconds=seconds)
        bench.results["runs"][f"commit/c{threads}"] = out
        bench.say(
            f"  commit/c{threads}: {out['rate']:.1f}/s, p50 {out['p50'] * 1000:.2f} ms, "
            f"p99 {out['p99'] * 1000:.2f} ms"
        )


def revalidation(bench: Bench) -> None:
    """Reads that a CDN or browser revalidates with the ETag they hold."""
    assert bench.soundoff
    for name, make in (("page", shapes.page_read(200)), ("api", bench.api_read(200))):
        first = make(0)
        answer = bench.fetch(bench.soundoff, first)
        etag = answer.headers.get("etag") if answer else None
        if not etag:
            bench.note(f"revalidate/{name}", "no ETag on the response")
            bench.say(f"  revalidate/{name}: no ETag, skipped")
            continue
        bench.drive(
            f"revalidate/{name}/200/c32",
            bench.soundoff,
            load.get(first.path, {"If-None-Match": etag}),
            concurrency=32,
            seconds=4.0,
            ok=frozenset({304}),
        )


def cold(bench: Bench) -> None:
    """The thread read with every cache off: what a first visit costs. A
    second Soundoff server on the same database, ``BENCH_CACHE=dummy``."""
    server = bench.soundoff_server("soundoff-cold", cache="dummy")
    try:
        for c in READ_CONCURRENCY:
            for what, make in (("page", shapes.page_read(200)), ("api", bench.api_read(200))):
                bench.drive(f"cold/{what}/200/c{c}", server, make, concurrency=c, seconds=4.0)
        bench.drive(
            "cold/page/20000/c1", server, shapes.page_read(20_000), concurrency=1, seconds=4.0
        )
    finally:
        server.stop()
