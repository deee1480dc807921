"""The main benchmark: Soundoff against Isso 0.14, and against its own limits.

Run through ``bench/run`` (which prepares both virtual environments); see
bench/README.md. Steps, each bounded in time and count:

1. Fresh data directories; Soundoff migrated, its static files collected,
   readers and posts made; Isso started on an empty database.
2. Seeding through both HTTP APIs: the write thread, 50 count pages and the
   threads of 10, 200 and 2,000 comments (≈2,400 comments in each database).
3. The small-database probe (reads of the 10- and 200-comment threads,
   writes at concurrency 16): the "at 2,000" baseline.
4. The 20,000-comment thread (HTTP, or --seed-20k bulk: straight into both
   databases alike).
5. Reads of every thread at concurrency 1 and 32 (Soundoff's API first page
   and post page, Isso's GET /?uri=), counts of 20 and of 50 pages, writes at 1 and 16,
   the framework floor, cold (cache off) reads, revalidation, and the
   durable-commit limit.
6. Both databases filled to 100,000 comments (bulk, alike) and the probe
   again.

The steps live in bench/harness.py (the run, Soundoff's set-up, the
measuring loop), bench/isso_server.py, bench/seed.py, bench/scenarios.py
(against Isso) and bench/limits.py (against its own limits). Everything
lands in bench/.work/<run>/results.json; bench/report.py prints the table
from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import dataset, isso_server, limits, report, scenarios, seed, servers
from bench.harness import Bench
from bench.servers import ISSO_VENV, SOUNDOFF_PYTHON


def run(bench: Bench) -> None:
    started = time.perf_counter()
    say = bench.say
    bench.results["machine"] = machine(bench)
    say(f"Results go to {bench.dir}")
    try:
        bench.start_soundoff()
        bench.isso = isso_server.start(bench.dir, workers=bench.args.isso_workers)
        say(f"Isso: gunicorn ({bench.args.isso_workers} workers) on port {bench.isso.port}")
        small = [t for t in dataset.read_threads() if t.key != "bench-20000"]
        big = [t for t in dataset.read_threads() if t.key == "bench-20000"]
        say("Seeding the write thread and 50 count pages (HTTP, one at a time)")
        seed.over_http(bench, [dataset.write_thread(), *dataset.count_pages()], concurrency=1)
        say("Seeding the threads of 10, 200 and 2,000 comments (HTTP, 16 at a time)")
        seed.over_http(bench, small)
        seed.verify(bench, small)
        seed.census(bench, "small")
        say("Probe at the small database")
        scenarios.probe(bench, "small/")
        if seed.twenty_k_over_http(bench):
            say("Seeding the 20,000-comment thread (HTTP, 16 at a time)")
            seed.over_http(bench, big)
        else:
            say("Loading the 20,000-comment thread (bulk, both alike)")
            seed.in_bulk(bench, big)
        seed.verify(bench, dataset.read_threads())
        seed.census(bench, "main")
        say("Thread reads")
        scenarios.reads(bench, "read/", dataset.THREAD_SIZES)
        say("Counts of 20 and of 50 pages")
        scenarios.counts(bench)
        say("Writes")
        scenarios.writes(bench, "", scenarios.WRITE_CONCURRENCY)
        say("Framework floor, revalidation, cold reads")
        limits.floor(bench)
        limits.revalidation(bench)
        limits.cold(bench)
        say("Durable-commit limit")
        limits.commit_limit(bench)
        if not bench.args.skip_big:
            say("Filling both databases to 100,000 comments (bulk, both alike)")
            seed.fill_to_100k(bench)
            seed.census(bench, "big")
            say("Probe at 100,000 comments")
            scenarios.probe(bench, "big/")
    finally:
        for server in (bench.soundoff, bench.isso):
            if server is not None:
                bench.note(f"rss_end/{server.name}", round(server.rss_mb(), 1))
                server.stop()
        bench.results["machine"]["load_end"] = os.getloadavg()
        bench.results["seconds"] = round(time.perf_counter() - started, 1)
        (bench.dir / "results.json").write_text(json.dumps(bench.results, indent=2))
    table = report.render(bench.results)
    (bench.dir / "table.txt").write_text(table)
    print(table)
    say(f"Done in {bench.results['seconds']:.0f} s; results in {bench.dir}")


def machine(bench: Bench) -> dict[str, Any]:
    """What the run ran on and with, for the table's heading."""

    def out(*command: str) -> str:
        try:
            return subprocess.run(  # noqa: S603
                command, capture_output=True, text=True, timeout=30, check=False
            ).stdout.strip()
        except OSError:
            return ""

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    args = bench.args
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(int(mem) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "load_start": os.getloadavg(),
        "soundoff_python": out(str(SOUNDOFF_PYTHON), "-VV"),
        "isso_python": out(str(ISSO_VENV / "bin" / "python"), "-VV"),
        "versions": out(
            str(SOUNDOFF_PYTHON),
            "-c",
            "import django, granian, sqlite3; "
            "print(f'Django {django.get_version()}, granian {granian.__version__}, "
            "SQLite {sqlite3.sqlite_version}')",
        ),
        "isso": out(str(ISSO_VENV / "bin" / "pip"), "show", "isso").split("\n")[1:2],
        "soundoff_server": f"granian {bench.interface.upper()} {bench.app}, "
        f"{args.workers} workers x {args.threads} threads",
        "isso_server": f"gunicorn sync, {args.isso_workers} workers",
    }


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="granian worker processes for Soundoff (default: one per core, as bin/run; "
        "set BENCH_REDIS_URL to share their state in Redis instead of local files)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=8,
        help="granian blocking threads per worker (bin/run's default: 8)",
    )
    parser.add_argument(
        "--serve",
        choices=("auto", "wsgi", "rsgi", "asgi"),
        default="auto",
        help="serve Soundoff with granian's WSGI interface (soundoff.wsgi) or the "
        "gateway (soundoff.asgi) under RSGI or ASGI; auto does what bin/run does",
    )
    parser.add_argument(
        "--isso-workers",
        type=int,
        default=4,
        help="gunicorn workers for Isso (default 4, as the issue measured)",
    )
    parser.add_argument(
        "--seed-20k",
        choices=("auto", "http", "bulk"),
        default="auto",
        help="seed the 20,000-comment thread through both HTTP APIs, or straight into "
        "both databases alike; auto picks HTTP when the rates measured seeding the "
        "2,000-comment thread say it takes both systems at most 4 minutes",
    )
    parser.add_argument(
        "--skip-big", action="store_true", help="leave out the 100,000-comments variant"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="runs of 2 s at most: a smoke test of the harness, not a result",
    )
    return parser


def main() -> None:
    servers.unwind_on_sigterm()
    run(Bench(argument_parser().parse_args()))


if __name__ == "__main__":
    main()
