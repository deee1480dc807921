"""Scale-out: two Soundoff instances on PostgreSQL + Redis against one, with
SQLite's single instance beside them.

Run through ``bench/instances`` (see bench/README.md). Each instance is granian
as bin/run starts it (one worker per core, the gateway, HTTP/1.1). Three
set-ups, one after the other, each on the same data:

- SQLite, one instance (the default install: the workers share limits and
  live events through files in the data directory);
- PostgreSQL + Redis, one instance;
- PostgreSQL + Redis, two instances on two ports, the load split evenly
  between them (what a round-robin load balancer does).

Each set-up measures writes (``POST /api/v1/comments`` as signed-in readers,
16 at once) and anonymous reads of a 200-comment thread (its post page and
the API's first page, 32 at once). The load comes from two client processes
in every set-up (one per instance with two), so the client is the same for
all three. Before the two-instance figures, a comment posted to the first
instance must reach a stream held on the second.

The PostgreSQL database is made for the run and dropped after it; Redis
keys carry a prefix of the run's own and are deleted after it. Every load
loop is bounded in time and count and sends traffic to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import secrets
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import load, servers, shapes
from bench.report import duration
from bench.runs import add_workers_option, say, soundoff_env
from bench.servers import WORK, Server, granian_command, manage, served_like_bin_run, soundoff_data

WRITE_CONCURRENCY = 16
READ_CONCURRENCY = 32
READ_THREAD = ("bench-200", 200)
CLIENT_PROCESSES = 2


# --- the load, from client processes ------------------------------------------


def _factory(shape: dict[str, Any]) -> load.RequestFactory:
    if shape["kind"] == "write":
        return shapes.soundoff_write(shape["thread"], shape["tokens"])
    return load.get(shape["path"])


def _drive_one(port: int, shape: dict[str, Any], concurrency: int, seconds: float) -> load.Result:
    """One client process's share of a measurement (after its own warm-up)."""
    ok = frozenset({201, 202}) if shape["kind"] == "write" else frozenset({200})
    # A factory for each run: writes number their texts from 0 in every run,
    # and the same text twice from one reader is refused as a repeat.
    warmup = _factory(shape)
    load.run(
        port, warmup, concurrency=concurrency, duration=0.5, max_requests=concurrency * 4, ok=ok
    )
    make = _factory(shape)
    return load.run(
        port, make, concurrency=concurrency, duration=seconds, max_requests=200_000, ok=ok
    )


def drive(
    ports: list[int], shape: dict[str, Any], *, concurrency: int, seconds: float
) -> dict[str, Any]:
    """``concurrency`` requests at once, split over CLIENT_PROCESSES processes
    and over ``ports`` evenly; the rates add up, the latencies pool."""
    targets = [ports[k % len(ports)] for k in range(CLIENT_PROCESSES)]
    share = concurrency // CLIENT_PROCESSES
    with mp.get_context("spawn").Pool(CLIENT_PROCESSES) as pool:
        results = pool.starmap(_drive_one, [(port, shape, share, seconds) for port in targets])
    pooled = load.Result(concurrency=concurrency)
    for result in results:
        pooled.latencies += result.latencies
        pooled.statuses.update(result.statuses)
        pooled.errors += result.errors
        pooled.unfinished += result.unfinished
    return {
        "rate": round(sum(result.rate for result in results), 1),
        "p50": pooled.p50,
        "p99": pooled.p99,
        "ok": pooled.ok,
        "failures": pooled.failures,
        "statuses": dict(pooled.statuses),
    }


# --- the set-ups ------------------------------------------------------------------


def base_env(data_dir: Path, run: str) -> dict[str, str]:
    return soundoff_env(
        data_dir,
        SOUNDOFF_CACHE_PREFIX=f"bench-instances-{run}",
        SOUNDOFF_LIVE_PREFIX=f"bench-instances-{run}:live",
    )


@contextlib.contextmanager
def postgres_database(url: str, run: str) -> Iterator[str]:
    """A database of the run's own on the server ``url`` names; dropped after."""
    import psycopg

    parts = urlsplit(url)
    name = f"soundoff_instances_{run}"
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def forget_redis_keys(url: str, run: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    keys = list(client.scan_iter(match=f"*bench-instances-{run}*", count=1000))
    for first in range(0, len(keys), 1000):
        client.delete(*keys[first : first + 1000])


def seed(env: dict[str, str]) -> dict[str, Any]:
    """Readers, posts, and the 200-comment thread (written as bench/run's
    bulk load writes it, on both databases alike)."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    prepared = soundoff_data(env, action="prepare")
    soundoff_data(env, action="bulk", threads=[list(READ_THREAD)])
    return prepared


@contextlib.contextmanager
def instances_running(
    env: dict[str, str], count: int, workers: int, run_dir: Path, name: str
) -> Iterator[list[int]]:
    """``count`` instances started as bin/run starts one, their ports; all
    stopped after, or as soon as one fails to start."""
    interface, app = served_like_bin_run()
    started: list[Server] = []
    try:
        for k in range(count):
            server = Server(
                f"{name}-{k + 1}",
                granian_command(interface, app, workers=workers, threads=8),
                {**env, "SOUNDOFF_THREADS": "8"},
                run_dir / f"{name}-{k + 1}.log",
                probe="/api/v1/posts",
            )
            started.append(server.start())
        yield [server.port for server in started]
    finally:
        for server in started:
            server.stop()


def crosses_instances(first: int, second: int, thread_id: int, token: str) -> bool:
    """Whether a comment posted to ``first`` reaches a stream on ``second``."""
    marker = f"crossing-{secrets.token_hex(4)}"
    with socket.create_connection(("127.0.0.1", second), timeout=10) as stream:
        stream.sendall(
            f"GET /live/threads/{thread_id}/ HTTP/1.1\r\nHost: 127.0.0.1:{second}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        received = stream.recv(65536)
        if b" 200 " not in received.split(b"\r\n", 1)[0]:
            return False
        # 201 only: a comment held for review (202) is not shown to readers.
        if not shapes.post_one_comment(
            first, thread_id, token=token, body=f"Does this cross? {marker}", ok=frozenset({201})
        ):
            return False
        deadline = time.monotonic() + 10
        while marker.encode() not in received and time.monotonic() < deadline:
            stream.settimeout(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                chunk = stream.recv(65536)
                if not chunk:
                    break
                received += chunk
        return marker.encode() in received


def measure(
    name: str, ports: list[int], prepared: dict[str, Any], seconds: float
) -> dict[str, Any]:
    write_thread = prepared["threads"]["bench-writes"]
    read_thread = prepared["threads"][READ_THREAD[0]]
    shapes_measured = {
        "writes": (
            {"kind": "write", "thread": write_thread, "tokens": prepared["tokens"]},
            WRITE_CONCURRENCY,
        ),
        "page": ({"kind": "read", "path": f"/posts/{READ_THREAD[0]}/"}, READ_CONCURRENCY),
        "api": (
            {
                "kind": "read",
                "path": f"/api/v1/threads/{read_thread}/comments?sort=oldest&limit=20",
            },
            READ_CONCURRENCY,
        ),
    }
    out = {}
    for shape_name, (shape, concurrency) in shapes_measured.items():
        out[shape_name] = drive(ports, shape, concurrency=concurrency, seconds=seconds)
        figures = out[shape_name]
        bad = f", {figures['failures']} failed" if figures["failures"] else ""
        say(f"  {name} {shape_name}: {figures['rate']}/s, p99 {duration(figures['p99'])}{bad}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/instances", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server where the run may create and drop a database of its own",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="the Redis both instances share (keys under a prefix of the run's own)",
    )
    add_workers_option(parser, per=" per instance")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    args = parser.parse_args()

    run = secrets.token_hex(4)
    run_dir = WORK / f"instances-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir.mkdir(parents=True)
    say(f"Results go to {run_dir}")
    results: dict[str, Any] = {
        "load_start": os.getloadavg(),
        "workers_per_instance": args.workers,
        "seconds": args.seconds,
        "setups": {},
    }
    try:
        sqlite_env = base_env(run_dir / "sqlite", run)
        say("SQLite: migrating and seeding")
        prepared = seed(sqlite_env)
        with instances_running(sqlite_env, 1, args.workers, run_dir, "sqlite") as ports:
            results["setups"]["sqlite, 1 instance"] = measure(
                "sqlite x1", ports, prepared, args.seconds
            )

        with postgres_database(args.database_url, run) as database_url:
            shared_env = {
                **base_env(run_dir / "postgresql", run),
                "DATABASE_URL": database_url,
                "REDIS_URL": args.redis_url,
            }
            say("PostgreSQL + Redis: migrating and seeding")
            prepared = seed(shared_env)
            with instances_running(shared_env, 1, args.workers, run_dir, "pg") as ports:
                results["setups"]["postgresql + redis, 1 instance"] = measure(
                    "pg x1", ports, prepared, args.seconds
                )
            with instances_running(shared_env, 2, args.workers, run_dir, "pg-pair") as ports:
                crossed = crosses_instances(
                    ports[0], ports[1], prepared["threads"]["bench-writes"], prepared["tokens"][0]
                )
                results["crossed"] = crossed
                say(f"  a comment posted to one instance reached a stream on the other: {crossed}")
                results["setups"]["postgresql + redis, 2 instances"] = measure(
                    "pg x2", ports, prepared, args.seconds
                )
    finally:
        with contextlib.suppress(Exception):
            forget_redis_keys(args.redis_url, run)
        results["load_end"] = os.getloadavg()
        (run_dir / "results.json").write_text(json.dumps(results, indent=2))
    print(render(results))


def render(results: dict[str, Any]) -> str:
    lines = [
        "Scale-out: requests/s (p99), each instance granian with "
        f"{results['workers_per_instance']} workers; load average "
        f"{results['load_start'][0]:.2f} at the start, {results['load_end'][0]:.2f} at the end",
        f"{'set-up':<34} {'writes c=16':>18} {'page c=32':>18} {'API c=32':>18}",
    ]
    for name, figures in results["setups"].items():
        cells = [
            f"{figures[shape]['rate']:>8}/s ({duration(figures[shape]['p99'])})"
            + ("!" if figures[shape]["failures"] else "")
            for shape in ("writes", "page", "api")
        ]
        lines.append(f"{name:<34} " + " ".join(f"{cell:>18}" for cell in cells))
    one = results["setups"].get("postgresql + redis, 1 instance")
    two = results["setups"].get("postgresql + redis, 2 instances")
    if one and two:
        ratios = ", ".join(
            f"{shape} {two[shape]['rate'] / one[shape]['rate']:.2f}x"
            for shape in ("writes", "page", "api")
            if one[shape]["rate"]
        )
        lines.append(f"two instances against one (PostgreSQL + Redis): {ratios}")
    if "crossed" in results:
        lines.append(
            "a comment posted to one instance reached a stream on the other: "
            + ("yes" if results["crossed"] else "NO")
        )
    lines.append("(! = some requests failed; see results.json)")
    return "\n".join(lines)


if __name__ == "__main__":
    servers.unwind_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):
        main()
