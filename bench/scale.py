"""Soundoff at ≈2,400 comments and at 100,000, on SQLite and on PostgreSQL.

Run through ``bench/scale`` (which prepares .venv as bin/run does). The
issue's target: with 100,000 comments in the database, reads and writes
within 1.2x of their cost at ≈2,000. For each database in turn:

1. a fresh Soundoff (migrate, which also gathers the planner's statistics
   on the nearly empty database, readers and posts), served by granian as
   bin/run serves it;
2. the write thread and the threads of 10, 200 and 2,000 comments,
   bulk-loaded (≈2,400 comments, the main benchmark's small database);
3. the probe: the API's first page and the anonymous post page of the 10-
   and 200-comment threads, from the cache (c=1 and c=32) and cold (a
   second server with every cache off), and writes at c=16;
4. the database filled to 100,000 comments in bulk, with no new
   statistics (a site grows between restarts: the plans must hold on the
   statistics of a small database, or none), and the probe again.

PostgreSQL runs when BENCH_POSTGRES_URL names a server and a maintenance
database (e.g. postgres://postgres@127.0.0.1:5432/postgres): a database
of its own is created there and dropped at the end. Without it, SQLite
alone, saying so. Results: bench/.work/scale-*/results.json, and a table
of ratios (100k / small: rate, p50, CPU per request; 1.2 is the target
for p50 and CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import dataset, servers, shapes
from bench.harness import Bench
from bench.runs import add_workers_option

PROBE_READS = ((10, 1), (200, 32))


def probe(bench: Bench, prefix: str) -> None:
    """Soundoff's share of scenarios.probe, warm and cold."""
    assert bench.soundoff
    for size, c in PROBE_READS:
        for what, make in (("api", bench.api_read(size)), ("page", shapes.page_read(size))):
            bench.drive(
                f"{prefix}{what}/{size}/c{c}", bench.soundoff, make, concurrency=c, seconds=4.0
            )
    cold = bench.soundoff_server("soundoff-cold", cache="dummy")
    try:
        for what, make in (("api", bench.api_read(200)), ("page", shapes.page_read(200))):
            bench.drive(f"{prefix}cold/{what}/200/c1", cold, make, concurrency=1, seconds=4.0)
    finally:
        cold.stop()
    thread_id = bench.thread_ids[dataset.write_thread().key]
    bench.drive(
        f"{prefix}write/c16",
        bench.soundoff,
        shapes.soundoff_write(thread_id, bench.tokens),
        concurrency=16,
        seconds=5.0,
        max_requests=5_000,
        ok=frozenset({201, 202}),
        warmup=False,
    )


def census(bench: Bench, label: str) -> None:
    comments = bench.soundoff_data(action="census")["comments"]
    bench.note(f"comments/{label}", comments)
    bench.say(f"  comments in the database ({label}): {comments}")


def measure(bench: Bench) -> None:
    bench.start_soundoff()
    small = [dataset.write_thread(), *dataset.read_threads()[:3]]
    bench.say("Loading the write thread and the 10-, 200- and 2,000-comment threads (bulk)")
    bench.soundoff_data(action="bulk", threads=[[s.key, s.size] for s in small])
    census(bench, "small")
    bench.say("Probe at the small database")
    probe(bench, "small/")
    already = bench.soundoff_data(action="census")["comments"]
    filler = dataset.filler_threads(already)
    bench.say(f"Filling to 100,000 comments ({len(filler)} threads, bulk)")
    bench.soundoff_data(action="bulk", threads=[[s.key, s.size] for s in filler])
    census(bench, "big")
    bench.say("Probe at 100,000 comments")
    probe(bench, "big/")


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A new database on the server of ``server_url``, dropped afterwards."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_on(args: argparse.Namespace, database: str, database_url: str) -> dict[str, Any]:
    bench = Bench(args, label=f"scale-{database}", database_url=database_url)
    bench.say(f"{database}: results go to {bench.dir}")
    bench.results["load_start"] = os.getloadavg()
    try:
        measure(bench)
    finally:
        bench.results["load_end"] = os.getloadavg()
        if bench.soundoff is not None:
            bench.soundoff.stop()
        (bench.dir / "results.json").write_text(json.dumps(bench.results, indent=2))
    return bench.results


def ratios(results: dict[str, Any]) -> list[str]:
    """One line per probe run: 100k against small."""
    runs = results["runs"]
    lines = []
    for name in sorted(key.removeprefix("small/") for key in runs if key.startswith("small/")):
        small, big = runs.get(f"small/{name}"), runs.get(f"big/{name}")
        if not small or not big:
            continue

        def ratio(field: str, a: dict[str, Any] = big, b: dict[str, Any] = small) -> str:
            if not a.get(field) or not b.get(field):
                return "   -  "
            return f"{a[field] / b[field]:6.2f}"

        lines.append(
            f"  {name:<18} rate {ratio('rate')}x  p50 {ratio('p50')}x  CPU {ratio('cpu_ms')}x"
        )
    return lines


def main() -> None:
    servers.unwind_on_sigterm()
    parser = argparse.ArgumentParser(prog="bench/scale", description=__doc__.split("\n\n")[0])
    add_workers_option(parser)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--serve", choices=("auto", "wsgi", "rsgi", "asgi"), default="auto")
    parser.add_argument("--quick", action="store_true", help="runs of 2 s: a smoke test")
    args = parser.parse_args()
    table = {"sqlite": run_on(args, "sqlite", "")}
    server_url = os.environ.get("BENCH_POSTGRES_URL", "")
    if server_url:
        name = f"soundoff_scale_{time.strftime('%Y%m%d_%H%M%S')}"
        with postgres_database(server_url, name) as database_url:
            table["postgresql"] = run_on(args, "postgresql", database_url)
    print("\n100,000 comments against ≈2,400 (p50 and CPU per request: target <= 1.2x)")
    for database, results in table.items():
        notes = results["notes"]
        load = ", ".join(
            f"{results[key][0]:.2f} at the {key.removeprefix('load_')}"
            for key in ("load_start", "load_end")
        )
        print(
            f"{database} ({notes.get('comments/small')} -> {notes.get('comments/big')}"
            f" comments; load average {load}):"
        )
        print("\n".join(ratios(results)))
    if not server_url:
        print("PostgreSQL not measured: set BENCH_POSTGRES_URL=postgres://user@host:5432/postgres")


if __name__ == "__main__":
    main()
