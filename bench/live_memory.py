"""What one open live stream costs in memory, and what a worker holds
before any: the instance as bin/run serves it, measured with no stream
(after a warm-up) and with N streams open on one thread.

    .venv/bin/python -m bench.live_memory                  # 5,000 streams
    .venv/bin/python -m bench.live_memory --streams 1000 --tracemalloc
    .venv/bin/python -m bench.live_memory --env MALLOC_ARENA_MAX=2 --granian=--runtime-mode=st

Each process of the server's session is read from /proc/<pid>/smaps_rollup
(RSS, PSS, private pages); per stream is the instance's PSS with N streams
less its PSS with none, over N. ``--tracemalloc`` starts the workers with
tracemalloc on (it costs memory and time itself: read its figures for
where Python objects go, not for totals) and prints, per worker, the
allocation sites that grew most between the two snapshots, per stream.
Memory is not timing: a busy machine changes these figures little.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.live import close_streams, open_streams, set_up
from bench.runs import add_workers_option, say
from bench.servers import Server, answers

MiB = 1024 * 1024
WARM_UP_STREAMS = 50
SNAPSHOT_TIMEOUT = 120.0


def process_memory(pid: int) -> dict[str, int]:
    """One process's memory in bytes (rss, pss, private) and its open sockets."""
    out = {"rss": 0, "pss": 0, "private": 0, "sockets": 0}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                out[name.lower()] = int(rest.split()[0]) * 1024
            elif name in ("Private_Clean", "Private_Dirty"):
                out["private"] += int(rest.split()[0]) * 1024
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                out["sockets"] += os.readlink(fd).startswith("socket:")
    return out


def instance_memory(server: Server) -> dict[int, dict[str, int]]:
    return {pid: process_memory(pid) for pid in sorted(server.pids())}


def role(server: Server, pid: int, stream_port: int) -> str:
    """granian's supervisor, the streams' process (it listens on
    ``stream_port``) or one of granian's workers."""
    assert server.process is not None
    if pid == server.process.pid:
        return "supervisor"
    if _listening_inode(stream_port) in _socket_inodes(pid):
        return "streams"
    parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return "worker" if parent == server.process.pid else "other"


def _listening_inode(port: int) -> str | None:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                return fields[9]
    return None


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            link = os.readlink(fd)
            if link.startswith("socket:["):
                inodes.add(link[len("socket:[") : -1])
    return inodes


def take_snapshots(where: Path, label: str, workers: list[int]) -> dict[int, Path]:
    """Ask every worker for a tracemalloc snapshot; wait for them all."""
    (where / f"take-{label}").touch()
    deadline = time.monotonic() + SNAPSHOT_TIMEOUT
    wanted = {pid: where / f"{pid}-{label}.snapshot" for pid in workers}
    while not all(path.exists() for path in wanted.values()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"workers did not write their '{label}' snapshots in time")
        time.sleep(0.2)
    return wanted


def grown(before: Path, after: Path, per: int, limit: int) -> list[str]:
    """The allocation sites that grew most, per stream, innermost frames last."""
    old = tracemalloc.Snapshot.load(str(before))
    new = tracemalloc.Snapshot.load(str(after))
    noise = [tracemalloc.Filter(False, tracemalloc.__file__)]
    old, new = old.filter_traces(noise), new.filter_traces(noise)
    differences = new.compare_to(old, "traceback")
    total = sum(d.size_diff for d in differences)
    lines = [f"    Python objects: {total / per:,.0f} B per stream (tracemalloc's overhead apart)"]
    for difference in differences[:limit]:
        if difference.size_diff <= 0:
            break
        frames = [
            f"{Path(frame.filename).name}:{frame.lineno}" for frame in difference.traceback[-4:]
        ]
        lines.append(
            f"    {difference.size_diff / per:8,.0f} B {difference.count_diff / per:5.2f} blocks"
            f"  {' < '.join(reversed(frames))}"
        )
    return lines


def main() -> None:
    summary = __doc__.split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="bench.live_memory", description=summary)
    parser.add_argument("--streams", type=int, default=5000, help="streams to open (5000)")
    add_workers_option(parser)
    parser.add_argument("--client-procs", type=int, default=2, help="reader processes")
    parser.add_argument("--connect-rate", type=float, default=1000.0, help="new streams a second")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="for the server"
    )
    parser.add_argument(
        "--granian", action="append", default=[], metavar="ARG", help="one more granian argument"
    )
    parser.add_argument("--tracemalloc", action="store_true", help="where Python objects grow")
    parser.add_argument("--top", type=int, default=12, help="allocation sites shown per worker")
    args = parser.parse_args()

    env = dict(item.split("=", 1) for item in args.env)
    live = set_up("live-memory", workers=args.workers, env=env)
    server = live.server
    server.command[-1:-1] = args.granian
    snapshots = live.dir / "snapshots"
    if args.tracemalloc:
        snapshots.mkdir()
        server.env.update(
            DJANGO_SETTINGS_MODULE="bench.live_memory_settings",
            LIVE_MEMORY_SNAPSHOTS=str(snapshots),
            PYTHONTRACEMALLOC="8",
        )
    path = f"/live/threads/{live.thread_id}/"
    results: dict[str, Any] = {"server": live.description, "args": vars(args)}
    server.start()
    stream_port = live.stream_port
    try:
        # What every worker does before its first reader: pages (the index),
        # the API and a few streams opened and closed.
        for _ in range(4 * args.workers):
            answers(server.port, f"/api/v1/threads/{live.thread_id}/comments")
            answers(server.port, "/")
        children, _opened = open_streams(
            stream_port, path, WARM_UP_STREAMS, client_procs=1, connect_rate=args.connect_rate
        )
        close_streams(children)
        time.sleep(2)
        roles = {pid: role(server, pid, stream_port) for pid in server.pids()}
        workers = [pid for pid, name in roles.items() if name in ("worker", "streams")]
        baseline = instance_memory(server)
        if args.tracemalloc:
            take_snapshots(snapshots, "baseline", workers)
        say(f"Opening {args.streams} streams")
        children, opened = open_streams(
            stream_port,
            path,
            args.streams,
            client_procs=args.client_procs,
            connect_rate=args.connect_rate,
        )
        time.sleep(2)
        loaded = instance_memory(server)
        if args.tracemalloc:
            take_snapshots(snapshots, "open", workers)
        close_streams(children)
    finally:
        server.stop()
    results.update(baseline=baseline, loaded=loaded, opened=opened, roles=roles)
    (live.dir / "results.json").write_text(json.dumps(results, indent=2))
    print(render(results, args.streams))
    if args.tracemalloc:
        for pid in workers:
            per = max(1, loaded[pid]["sockets"] - baseline[pid]["sockets"])
            print(f"worker {pid}, {per} streams: what grew, per stream")
            before = snapshots / f"{pid}-baseline.snapshot"
            after = snapshots / f"{pid}-open.snapshot"
            print("\n".join(grown(before, after, per, args.top)))


def render(results: dict[str, Any], streams: int) -> str:
    baseline, loaded, roles = results["baseline"], results["loaded"], results["roles"]
    lines = [
        f"Live streams' memory: {results['server']}",
        f"opened: {results['opened']}",
        f"{'process':>24} {'RSS 0':>8} {'PSS 0':>8} {'priv 0':>8} {'RSS N':>8} {'PSS N':>8}"
        f" {'streams':>8} {'per stream (RSS)':>17}",
    ]
    for pid in sorted(baseline):
        before, after = baseline[pid], loaded.get(pid, baseline[pid])
        held = after["sockets"] - before["sockets"]
        per = f"{(after['rss'] - before['rss']) / held / 1024:.1f} KiB" if held > 0 else "-"
        name = f"{roles[pid]} {pid}"
        lines.append(
            f"{name:>24} {before['rss'] / MiB:8.1f} {before['pss'] / MiB:8.1f}"
            f" {before['private'] / MiB:8.1f} {after['rss'] / MiB:8.1f} {after['pss'] / MiB:8.1f}"
            f" {held:8} {per:>17}"
        )
    pss_0 = sum(m["pss"] for m in baseline.values())
    pss_n = sum(m["pss"] for m in loaded.values())
    open_count = results["opened"].get("open", 0)
    lines.append(
        f"instance PSS: {pss_0 / MiB:.1f} MiB with no stream, {pss_n / MiB:.1f} MiB with "
        f"{open_count}; {(pss_n - pss_0) / max(1, open_count) / 1024:.1f} KiB per stream; "
        f"at 5,000 streams: {(pss_0 + (pss_n - pss_0) / max(1, open_count) * 5000) / MiB:.1f} MiB"
    )
    if open_count != streams:
        lines.append(f"(asked for {streams} streams)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
