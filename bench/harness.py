"""One run of bench/run: its directory and results, Soundoff's side of the
set-up (its environment, ``manage.py``, its servers), and the measuring loop
that every scenario goes through.
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
from typing import Any

from bench import dataset, load, servers, shapes
from bench.runs import say, soundoff_env
from bench.servers import WORK, Server, granian_command, served_like_bin_run


class Bench:
    def __init__(
        self, args: argparse.Namespace, *, label: str = "run", database_url: str = ""
    ) -> None:
        """``database_url``: Soundoff's DATABASE_URL; empty for SQLite in the
        run's directory."""
        self.args = args
        self.database_url = database_url
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.dir = WORK / f"{label}-{stamp}"
        self.dir.mkdir(parents=True)
        self.results: dict[str, Any] = {"runs": {}, "notes": {}}
        self.secret = secrets.token_urlsafe(40)
        self.soundoff: Server | None = None
        self.isso: Server | None = None
        self.tokens: list[str] = []
        self.thread_ids: dict[str, int] = {}
        self.quick = args.quick
        self.interface, self.app = served_like_bin_run()
        if args.serve != "auto":
            self.interface = args.serve
            self.app = f"soundoff.{'wsgi' if args.serve == 'wsgi' else 'asgi'}:application"

    def say(self, message: str) -> None:
        say(message)

    def note(self, key: str, value: Any) -> None:
        self.results["notes"][key] = value

    # --- Soundoff --------------------------------------------------------------

    def soundoff_env(self, *, cache: str = "") -> dict[str, str]:
        env = soundoff_env(
            self.dir / "soundoff",
            secret=self.secret,
            settings_module="bench.settings",
            SOUNDOFF_EMBED_ORIGINS=dataset.PAGE_ORIGIN,
            SOUNDOFF_THREADS=str(self.args.threads),
            BENCH_CACHE=cache,
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if os.environ.get("BENCH_REDIS_URL"):
            # The cache, limits and live broker in Redis, as with REDIS_URL;
            # without it, the workers share them as bin/run's do (files in
            # the data directory).
            env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
            env["SOUNDOFF_CACHE_PREFIX"] = f"bench-{self.dir.name}"
        return env

    def manage(self, *args: str) -> str:
        return servers.manage(self.soundoff_env(), *args)

    def soundoff_data(self, **args: Any) -> dict[str, Any]:
        """One action of bench/soundoff_data.py, run in ``manage.py shell``."""
        return servers.soundoff_data(self.soundoff_env(), **args)

    def soundoff_server(self, name: str, *, cache: str = "") -> Server:
        """Granian serving Soundoff as bin/run does, started and answering."""
        command = granian_command(
            self.interface, self.app, workers=self.args.workers, threads=self.args.threads
        )
        return Server(
            name,
            command,
            self.soundoff_env(cache=cache),
            self.dir / f"{name}.log",
            probe="/bench/floor/",
        ).start()

    def start_soundoff(self) -> None:
        self.say("Soundoff: migrating, collecting static files, making readers and posts")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        prepared = self.soundoff_data(action="prepare")
        self.tokens = prepared["tokens"]
        self.thread_ids = prepared["threads"]
        self.soundoff = self.soundoff_server("soundoff")
        self.say(f"Soundoff: granian on port {self.soundoff.port}")

    def api_read(self, size: int) -> load.RequestFactory:
        return shapes.api_read(self.thread_ids[f"bench-{size}"])

    # --- measuring ---------------------------------------------------------------

    def record(self, name: str, result: load.Result, **extra: Any) -> dict[str, Any]:
        entry = {**result.as_dict(), **extra}
        self.results["runs"][name] = entry
        p50 = f"{result.p50 * 1000:.1f} ms" if result.p50 is not None else "-"
        p99 = f"{result.p99 * 1000:.1f} ms" if result.p99 is not None else "-"
        bad = f", {result.failures} failed" if result.failures else ""
        cpu = f", {extra['cpu_ms']:.2f} ms CPU each" if extra.get("cpu_ms") else ""
        self.say(f"  {name}: {result.rate:.1f}/s, p50 {p50}, p99 {p99}{bad}{cpu}")
        return entry

    def drive(
        self,
        name: str,
        server: Server,
        make: load.RequestFactory,
        *,
        concurrency: int,
        seconds: float,
        max_requests: int = 200_000,
        timeout: float = 30.0,
        ok: frozenset[int] = frozenset({200}),
        warmup: bool = True,
    ) -> load.Result:
        """One measurement: a short warm-up, then ``seconds`` (2 at most with
        --quick) or ``max_requests`` of load, recorded under ``name``."""
        seconds = min(seconds, 2.0) if self.quick else seconds

        def measure(duration: float, requests: int) -> load.Result:
            return load.run(
                server.port,
                make,
                concurrency=concurrency,
                duration=duration,
                max_requests=requests,
                timeout=timeout,
                ok=ok,
            )

        if warmup:
            measure(0.5, max(concurrency * 4, 50))
        # The server's own CPU time per answered request: what a request
        # costs, whatever else the machine was doing meanwhile.
        cpu_before = server.cpu_seconds()
        result = measure(seconds, max_requests)
        cpu = server.cpu_seconds() - cpu_before
        cpu_ms = round(cpu / result.ok * 1000, 3) if result.ok else None
        self.record(name, result, rss_mb=round(server.rss_mb(), 1), cpu_ms=cpu_ms)
        if result.unfinished and server is self.isso:
            # gunicorn keeps working through requests the client gave up
            # on; restart it so that the next measurement starts idle.
            self.say("  restarting Isso to drop the requests it still holds")
            server.restart()
        return result

    def fetch(self, server: Server, request: load.Request) -> load.Response | None:
        """One request, its answer kept (None if it got none in 30 s)."""
        answers: list[load.Response] = []
        load.run(
            server.port,
            lambda n: request,
            concurrency=1,
            duration=30,
            max_requests=1,
            observe=lambda n, q, r: answers.append(r),
        )
        return answers[0] if answers else None
