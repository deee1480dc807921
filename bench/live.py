"""Live fan-out: N readers hold /live/threads/<id>/ open on one instance;
how long from a POST until the comment reaches every one of them, and how
much memory the instance holds meanwhile.

Run through ``bench/live`` (see bench/README.md). The server is the gateway that
serves pages and streams on one origin (soundoff.asgi), as bin/run starts
it (soundoff.serve: granian, Django loaded before the fork): one granian
worker per core, the local broker between them. Its memory is reported
both ways: the resident sets of its processes added up (RSS),
and their proportional sets (PSS: a page shared by the supervisor and the
workers counts once), which the target is judged on, being what the
instance takes from the machine. The readers are
``--client-procs`` processes of asyncio sockets, spread over many loopback
source addresses (127.0.x.y) so that the per-address cap on open streams
(SOUNDOFF_LIVE_STREAMS_PER_IP) holds as deployed. Each step opens its
streams, posts ``--posts`` comments through the API one ``--interval``
apart, and times each comment's arrival on every stream from the moment its
POST was sent (CLOCK_MONOTONIC, shared by the processes of one machine).
Everything is bounded: connecting, each post, the wait for deliveries.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import re
import secrets
import signal
import statistics
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench import servers, shapes
from bench.report import duration
from bench.runs import add_workers_option, say, soundoff_env
from bench.servers import (
    WORK,
    Server,
    free_port,
    granian_command,
    manage,
    served_like_bin_run,
    soundoff_data,
)

MARKER = re.compile(rb"fanout-[0-9a-f]{8}-[0-9]+")
STREAMS_PER_ADDRESS = 25
CONNECT_TIMEOUT = 120.0
DELIVERY_GRACE = 10.0


def source_address(k: int) -> str:
    """The k-th reader's loopback address: 25 readers to each, as 25 tabs
    behind one household's address would be."""
    n = k // STREAMS_PER_ADDRESS
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


# --- the reader processes ----------------------------------------------------

# What a browser's EventSource sends besides the Host (Chromium's, as a
# reader signed out of a site with a consent cookie sees it): a stream's
# request headers are held as long as it is open, so they count.
BROWSER_HEADERS = (
    "Connection: keep-alive\r\n"
    "Accept: text/event-stream\r\n"
    "Cache-Control: no-cache\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/131.0.0.0 Safari/537.36\r\n"
    "Referer: http://127.0.0.1/2026/12/04/a-breaking-story/\r\n"
    "Accept-Encoding: gzip, deflate, br, zstd\r\n"
    "Accept-Language: en-US,en;q=0.9\r\n"
    "Cookie: csrftoken=" + "x" * 32 + "; consent=1\r\n"
)


async def _reader(
    k: int, port: int, path: str, arrivals: dict[bytes, list[float]], state: dict[str, int]
) -> None:
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(source_address(k), 0)),
            CONNECT_TIMEOUT,
        )
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{BROWSER_HEADERS}\r\n".encode()
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CONNECT_TIMEOUT)
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        state["failed"] += 1
        return
    status = int(head.split(b" ", 2)[1])
    if status != 200:
        state[f"status {status}"] = state.get(f"status {status}", 0) + 1
        writer.close()
        return
    state["open"] += 1
    tail = b""
    try:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            now = time.monotonic()
            # A marker may straddle two reads: search the end of the last
            # one too, counting only matches that end in this one.
            window = tail + chunk
            for match in MARKER.finditer(window):
                if match.end() > len(tail):
                    arrivals.setdefault(match.group(), []).append(now)
            tail = window[-40:]
    except OSError:
        pass
    finally:
        state["open"] -= 1
        state["closed"] += 1
        writer.close()


async def _readers(
    first: int, count: int, port: int, path: str, control: Connection, rate: float
) -> None:
    arrivals: dict[bytes, list[float]] = {}
    state = {"open": 0, "failed": 0, "closed": 0}
    tasks = []
    for k in range(first, first + count):
        tasks.append(asyncio.create_task(_reader(k, port, path, arrivals, state)))
        await asyncio.sleep(1 / rate)  # don't overflow the listen backlog
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while state["open"] + state["failed"] + state["closed"] < count:
        if time.monotonic() > deadline or sum(v for k, v in state.items() if k != "open") >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    control.send(("ready", dict(state)))
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, control.recv)  # "stop"
    control.send(("done", {m.decode(): times for m, times in arrivals.items()}, dict(state)))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def reader_process(
    first: int, count: int, port: int, path: str, control: Connection, rate: float
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    asyncio.run(_readers(first, count, port, path, control, rate))


# --- the step ------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


Readers = list[tuple[mp.process.BaseProcess, Connection]]


def open_streams(
    port: int, path: str, streams: int, *, client_procs: int, connect_rate: float
) -> tuple[Readers, dict[str, int]]:
    """``streams`` readers of ``path`` in ``client_procs`` processes, and how
    many of them opened (``open``), failed or were refused, by status."""
    procs = max(1, min(client_procs, streams))
    share = [streams // procs + (1 if i < streams % procs else 0) for i in range(procs)]
    children: Readers = []
    first = 0
    ctx = mp.get_context("spawn")
    for count in share:
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(
            target=reader_process,
            args=(first, count, port, path, child_end, connect_rate / procs),
            daemon=True,
        )
        proc.start()
        children.append((proc, parent_end))
        first += count
    opened: dict[str, int] = {}
    for _proc, pipe in children:
        if not pipe.poll(CONNECT_TIMEOUT + streams / connect_rate + 30):
            raise RuntimeError("a reader process did not report in time")
        _, state = pipe.recv()
        for key, value in state.items():
            opened[key] = opened.get(key, 0) + value
    return children, opened


def close_streams(children: Readers) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Stop the readers: when each marker arrived on each stream, and how
    the streams ended (``closed``: by the server)."""
    arrivals: dict[str, list[float]] = {}
    end_state: dict[str, int] = {}
    for proc, pipe in children:
        pipe.send("stop")
        if pipe.poll(DELIVERY_GRACE + 30):
            _, got, state = pipe.recv()
            for marker, times in got.items():
                arrivals.setdefault(marker, []).extend(times)
            for key, value in state.items():
                end_state[key] = end_state.get(key, 0) + value
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    return arrivals, end_state


def step(
    server: Server,
    stream_port: int,
    streams: int,
    args: argparse.Namespace,
    thread_id: int,
    tokens: list[str],
) -> dict[str, Any]:
    before = server.memory()
    children, opened = open_streams(
        stream_port,
        f"/live/threads/{thread_id}/",
        streams,
        client_procs=args.client_procs,
        connect_rate=args.connect_rate,
    )
    idle = server.memory()
    run = secrets.token_hex(4)
    sent: dict[str, float] = {}
    peak = dict(idle)
    for i in range(args.posts):
        marker = f"fanout-{run}-{i}"
        sent[marker] = time.monotonic()
        if not shapes.post_one_comment(
            server.port,
            thread_id,
            token=tokens[i % len(tokens)],
            body=f"Fan-out check {marker}: is everyone seeing this?",
            ok=frozenset({201, 202}),
        ):
            sent.pop(marker)
        until = time.monotonic() + args.interval
        while time.monotonic() < until:
            peak = _larger(peak, server.memory())
            time.sleep(0.1)
    time.sleep(min(DELIVERY_GRACE, 2.0))
    peak = _larger(peak, server.memory())
    arrivals, end_state = close_streams(children)
    latencies = [t - sent[m] for m, times in arrivals.items() if m in sent for t in times]
    expected = opened.get("open", 0) * len(sent)
    out = {
        "streams": streams,
        "opened": opened.get("open", 0),
        "refused": {k: v for k, v in opened.items() if k not in ("open", "closed") and v},
        "posts": len(sent),
        "deliveries": len(latencies),
        "expected": expected,
        "dropped_streams": end_state.get("closed", 0),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": max(latencies) if latencies else None,
        "mean": statistics.fmean(latencies) if latencies else None,
        **{
            f"{kind}_{when}_mb": round(figures[kind], 1)
            for when, figures in (("before", before), ("idle", idle), ("peak", peak))
            for kind in ("rss", "pss")
        },
    }
    return out


def _larger(peak: dict[str, float], now: dict[str, float]) -> dict[str, float]:
    return {key: max(value, now[key]) for key, value in peak.items()}


@dataclass
class LiveSetup:
    """A run's directory, a prepared database and the server (not started)."""

    dir: Path
    env: dict[str, str]
    prepared: dict[str, Any]
    thread_id: int
    server: Server
    # Where the streams are served: bin/run's stream process, on a port
    # of its own (soundoff/live/server.py).
    stream_port: int
    description: str


def set_up(label: str, *, workers: int, env: dict[str, str] | None = None) -> LiveSetup:
    """A fresh SQLite database with the benchmark's thread and readers, and
    Soundoff served on it as bin/run serves it (``env`` added to the
    server's environment only)."""
    run_dir = WORK / f"{label}-{time.strftime('%Y%m%d-%H%M%S')}"
    (run_dir / "soundoff").mkdir(parents=True)
    base = soundoff_env(run_dir / "soundoff")
    say(f"Results go to {run_dir}")
    manage(base, "migrate", "--noinput", "-v0")
    manage(base, "collectstatic", "--noinput", "-v0")
    prepared = soundoff_data(base, action="prepare")
    thread_id = prepared["threads"]["bench-writes"]
    interface, app = served_like_bin_run()
    if interface == "wsgi":
        interface, app = "asgi", "soundoff.asgi:application"  # streams need the gateway
    stream_port = free_port()
    server = Server(
        label,
        granian_command(interface, app, workers=workers, threads=8),
        {**base, "SOUNDOFF_LIVE_PORT": str(stream_port), **(env or {})},
        run_dir / "server.log",
        probe=f"/api/v1/threads/{thread_id}",
    )
    description = (
        f"soundoff.serve (granian) {interface.upper()} {app}, {workers} workers,"
        " streams on their own process"
    )
    return LiveSetup(run_dir, base, prepared, thread_id, server, stream_port, description)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/live", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--steps",
        default="100,1000,2500,5000",
        help="numbers of streams to measure, comma-separated (at most 5000)",
    )
    parser.add_argument("--posts", type=int, default=10, help="comments posted per step")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between posts")
    parser.add_argument(
        "--client-procs", type=int, default=2, help="reader processes (each an asyncio loop)"
    )
    parser.add_argument(
        "--connect-rate", type=float, default=1000.0, help="new streams per second while opening"
    )
    add_workers_option(parser)
    args = parser.parse_args()
    steps = [min(5000, int(s)) for s in args.steps.split(",") if s.strip()]

    live = set_up("live", workers=args.workers)
    server, thread_id, prepared, run_dir = live.server, live.thread_id, live.prepared, live.dir
    results: dict[str, Any] = {
        "steps": [],
        "load_start": os.getloadavg(),
        "server": live.description,
    }
    server.start()
    try:
        memory = server.memory()
        say(
            f"Server ({results['server']}) on port {server.port}: "
            f"RSS {memory['rss']:.0f} MiB, PSS {memory['pss']:.0f} MiB"
        )
        for streams in steps:
            say(f"{streams} streams: opening, then {args.posts} comments {args.interval} s apart")
            out = step(server, live.stream_port, streams, args, thread_id, prepared["tokens"])
            results["steps"].append(out)
            say(
                f"  {out['opened']}/{streams} open {out['refused'] or ''}; "
                f"{out['deliveries']}/{out['expected']} deliveries; p50 {duration(out['p50'])}, "
                f"p99 {duration(out['p99'])}, max {duration(out['max'])}; "
                f"PSS {out['pss_idle_mb']} MiB idle, {out['pss_peak_mb']} MiB peak "
                f"(RSS {out['rss_peak_mb']} MiB)"
            )
            time.sleep(2)  # let the closed streams go before the next step
    finally:
        results["memory_end_mb"] = server.memory()
        server.stop()
        results["load_end"] = os.getloadavg()
        (run_dir / "results.json").write_text(json.dumps(results, indent=2))
    print(render(results))


def render(results: dict[str, Any]) -> str:
    lines = [
        f"Live fan-out: one Soundoff instance ({results.get('server')}, local broker)",
        "memory in MiB, the whole instance: PSS (shared pages once) and RSS (added up)",
        f"{'streams':>8} {'open':>6} {'delivered':>12} {'p50':>8} {'p99':>8} {'max':>8} "
        f"{'PSS before':>10} {'PSS idle':>9} {'PSS peak':>9} {'RSS peak':>9}",
    ]
    lines[1:1] = [
        f"load average at {moment}: " + " ".join(f"{x:.2f}" for x in results[f"load_{moment}"])
        for moment in ("start", "end")
        if f"load_{moment}" in results
    ]
    for s in results["steps"]:
        lines.append(
            f"{s['streams']:>8} {s['opened']:>6} {s['deliveries']:>6}/{s['expected']:<5} "
            f"{duration(s['p50']):>8} {duration(s['p99']):>8} {duration(s['max']):>8} "
            f"{s['pss_before_mb']:>10} {s['pss_idle_mb']:>9} {s['pss_peak_mb']:>9} "
            f"{s['rss_peak_mb']:>9}"
        )
    last = results["steps"][-1] if results["steps"] else None
    if last and last["streams"] >= 5000:
        p99 = last["p99"]
        lines.append("")
        delivered = (
            p99 is not None and last["opened"] >= 5000 and last["deliveries"] == last["expected"]
        )
        lines.append(
            f"{'MET' if delivered and p99 <= 1 else 'MISSED'}"
            f"  5,000 streams, fan-out p99 <= 1 s: {duration(p99)}, "
            f"{last['opened']} open, {last['deliveries']}/{last['expected']} delivered"
        )
        # 150 MB (10^6 bytes), as the issue writes it: 143 MiB.
        lines.append(
            f"{'MET' if last['pss_peak_mb'] <= 150e6 / 2**20 else 'MISSED'}"
            f"  <= 150 MB resident per instance: PSS {last['pss_peak_mb']} MiB at peak "
            f"(RSS added up: {last['rss_peak_mb']} MiB)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    servers.unwind_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):
        main()
