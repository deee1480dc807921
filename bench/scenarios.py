"""Soundoff against Isso: the same shapes of load on both, on the same data.

Thread reads (Soundoff's API first page and post page against Isso's whole
thread), counts of 20 and of 50 pages in one request, writes, and the scale
probe that repeats a few of them at ≈2,400 and at 100,000 comments.
"""

from __future__ import annotations

from typing import Any

from bench import dataset, load, shapes
from bench.harness import Bench

READ_CONCURRENCY = (1, 32)
WRITE_CONCURRENCY = (1, 16)


def isso_read_bounds(size: int, concurrency: int) -> dict[str, Any]:
    """Isso sends whole threads: a 2,000-comment read takes seconds, a
    20,000-comment one tens of seconds. Those runs are bounded by count
    (one wave of requests) and by a longer timeout, so they end in
    minutes; a request still unanswered then counts as unfinished."""
    if size <= 200:
        return {"seconds": 5.0, "warmup": size <= 10}
    wave = {"seconds": 10.0, "warmup": False, "timeout": 60.0 if size <= 2_000 else 45.0}
    if concurrency == 1:
        return {**wave, "max_requests": 3 if size <= 2_000 else 1}
    return {**wave, "max_requests": concurrency}


def read(bench: Bench, prefix: str, size: int, concurrency: int) -> None:
    """One thread read on both: Soundoff's API first page and post page,
    then Isso's whole thread."""
    assert bench.soundoff and bench.isso
    c = concurrency
    for what, make in (("api", bench.api_read(size)), ("page", shapes.page_read(size))):
        bench.drive(
            f"{prefix}{what}/{size}/c{c}", bench.soundoff, make, concurrency=c, seconds=4.0
        )
    bench.drive(
        f"{prefix}isso/{size}/c{c}",
        bench.isso,
        shapes.isso_read(size),
        concurrency=c,
        **isso_read_bounds(size, c),
    )


def reads(bench: Bench, prefix: str, sizes: tuple[int, ...]) -> None:
    for size in sizes:
        for c in READ_CONCURRENCY:
            read(bench, prefix, size, c)


def writes(bench: Bench, prefix: str, concurrencies: tuple[int, ...]) -> None:
    assert bench.soundoff and bench.isso
    thread_id = bench.thread_ids[dataset.write_thread().key]
    for c in concurrencies:
        for name, server, make in (
            ("soundoff", bench.soundoff, shapes.soundoff_write(thread_id, bench.tokens)),
            ("isso", bench.isso, shapes.isso_write()),
        ):
            bench.drive(
                f"{prefix}write/{name}/c{c}",
                server,
                make,
                concurrency=c,
                seconds=5.0,
                max_requests=5_000,
                ok=frozenset({201, 202}),
                warmup=False,
            )


def counts(bench: Bench) -> None:
    """The counts of the first N count pages in one request, for each N of
    dataset.COUNTED_AT_ONCE (dataset.counts_run names the runs)."""
    assert bench.soundoff and bench.isso
    every_page = dataset.count_pages()
    for size in dataset.COUNTED_AT_ONCE:
        pages = every_page[:size]
        ours = shapes.soundoff_counts(pages)
        theirs = load.always(shapes.isso_count(pages))
        name = dataset.counts_run(size)
        for c in READ_CONCURRENCY:
            bench.drive(f"{name}/soundoff/c{c}", bench.soundoff, ours, concurrency=c, seconds=4)
            bench.drive(f"{name}/isso/c{c}", bench.isso, theirs, concurrency=c, seconds=4)


def probe(bench: Bench, prefix: str) -> None:
    """The scale probe, measured at ≈2,000 and at 100,000 comments."""
    for size, c in ((10, 1), (200, 32)):
        read(bench, prefix, size, c)
    writes(bench, prefix, (16,))
