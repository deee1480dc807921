"""The main benchmark: Soundoff against Isso 0.14, and against its own limits.

Run through ``bench/run`` (which prepares both virtual environments); see
bench/README.md. Steps, each bounded in time and count:

1. Fresh data directories; Soundoff migrated, its static files collected,
   readers and posts made; Isso started on an empty database.
2. Seeding through both HTTP APIs: the write thread, 50 count pages and the
   threads of 10, 200 and 2,000 comments (≈2,400 comments in each database).
3. The small-database probe (reads of the 10- and 200-comment threads,
   writes at concurrency 16): the "at 2,000" baseline.
4. The 20,000-comment thread (HTTP, or --bulk-20k: straight into both
   databases alike).
5. Reads of every thread at concurrency 1 and 32 (Soundoff's API first page
   and post page, Isso's GET /?uri=), counts of 50 pages, writes at 1 and 16,
   the framework floor, cold (cache off) reads, revalidation, and the
   durable-commit limit.
6. Both databases filled to 100,000 comments (bulk, alike) and the probe
   again.

Everything lands in bench/.work/<run>/results.json; bench/report.py prints
the table from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import dataset, load, report, seed
from bench.servers import (
    ISSO_VENV,
    ROOT,
    SOUNDOFF_PYTHON,
    WORK,
    Server,
    granian_command,
    served_like_bin_run,
)
from bench.servers import isso_command as isso_server_command

READ_CONCURRENCY = (1, 32)
WRITE_CONCURRENCY = (1, 16)
# Rate limits raised far past the load: the benchmark measures the write
# path, not the limiter saying no (which is what it would do otherwise).
UNLIMITED = "1000000000/60"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.dir = WORK / f"run-{stamp}"
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

    # --- plumbing ------------------------------------------------------------

    def say(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def soundoff_env(self, *, cache: str = "") -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "SOUNDOFF_TESTING", "SOUNDOFF_DEBUG"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            SOUNDOFF_DATA_DIR=str(self.dir / "soundoff"),
            SOUNDOFF_SECRET_KEY=self.secret,
            SOUNDOFF_COMMENT_RATE=UNLIMITED,
            SOUNDOFF_COMMENT_RATE_SUSTAINED=UNLIMITED,
            SOUNDOFF_IP_COMMENT_RATE=UNLIMITED,
            SOUNDOFF_IP_COMMENT_RATE_SUSTAINED=UNLIMITED,
            SOUNDOFF_EMBED_ORIGINS=dataset.PAGE_ORIGIN,
            SOUNDOFF_THREADS=str(self.args.threads),
            BENCH_CACHE=cache,
        )
        if self.args.workers > 1:
            # Several workers share the cache, limits and live broker in
            # Redis, as bin/run insists; a database of Redis's own for the run.
            env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
            env["SOUNDOFF_CACHE_PREFIX"] = f"bench-{self.dir.name}"
        return env

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
            [str(SOUNDOFF_PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=env or self.soundoff_env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-4000:]}")
        return done.stdout

    def soundoff_data(self, **args: Any) -> dict[str, Any]:
        env = {**self.soundoff_env(), "BENCH_ARGS": json.dumps(args)}
        out = self.manage(
            "shell",
            "--no-imports",
            "-c",
            "from bench import soundoff_data; soundoff_data.main()",
            env=env,
        )
        return json.loads(out.strip().splitlines()[-1])

    def isso_comments(self) -> int:
        with sqlite3.connect(self.dir / "isso" / "comments.db") as con:
            return int(con.execute("SELECT COUNT(*) FROM comments").fetchone()[0])

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
        seconds = min(seconds, 2.0) if self.quick else seconds
        if warmup:
            load.run(
                server.port,
                make,
                concurrency=concurrency,
                duration=0.5,
                max_requests=max(concurrency * 4, 50),
                timeout=timeout,
                ok=ok,
            )
        # The server's own CPU time per answered request: what a request
        # costs, whatever else the machine was doing meanwhile.
        cpu_before = server.cpu_seconds()
        result = load.run(
            server.port,
            make,
            concurrency=concurrency,
            duration=seconds,
            max_requests=max_requests,
            timeout=timeout,
            ok=ok,
        )
        cpu = server.cpu_seconds() - cpu_before
        cpu_ms = round(cpu / result.ok * 1000, 3) if result.ok else None
        self.record(name, result, rss_mb=round(server.rss_mb(), 1), cpu_ms=cpu_ms)
        if result.unfinished and server is self.isso:
            # gunicorn keeps working through requests the client gave up
            # on; restart it so that the next measurement starts idle.
            self.say("  restarting Isso to drop the requests it still holds")
            server.restart()
        return result

    # --- set-up ----------------------------------------------------------------

    def start_soundoff(self) -> None:
        self.say("Soundoff: migrating, collecting static files, making readers and posts")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        prepared = self.soundoff_data(action="prepare")
        self.tokens = prepared["tokens"]
        self.thread_ids = prepared["threads"]
        self.soundoff = Server(
            "soundoff",
            granian_command(
                self.interface, self.app, workers=self.args.workers, threads=self.args.threads
            ),
            self.soundoff_env(),
            self.dir / "soundoff.log",
            probe="/bench/floor/",
        ).start()
        self.say(f"Soundoff: granian on port {self.soundoff.port}")

    def start_isso(self) -> None:
        (self.dir / "isso").mkdir()
        port = self.free_port()
        config = self.dir / "isso" / "isso.cfg"
        config.write_text(
            "[general]\n"
            f"dbpath = {self.dir / 'isso' / 'comments.db'}\n"
            f"host = http://127.0.0.1:{port}/\n"
            "[moderation]\nenabled = false\n"
            # Isso's guard allows 2 new comments a minute per address; like
            # Soundoff's rate limits, it is off so the write path is measured.
            "[guard]\nenabled = false\n"
            f"[server]\nlisten = http://127.0.0.1:{port}/\n"
        )
        env = {**os.environ, "ISSO_SETTINGS": str(config)}
        self.isso = Server(
            "isso",
            isso_server_command(self.args.isso_workers),
            env,
            self.dir / "isso.log",
            probe="/count",
            port=port,
        ).start()
        self.say(f"Isso: gunicorn ({self.args.isso_workers} workers) on port {port}")

    @staticmethod
    def free_port() -> int:
        from bench.servers import free_port

        return free_port()

    # --- seeding -------------------------------------------------------------------

    def seed_http(self, specs: list[dataset.Thread], *, concurrency: int = 16) -> None:
        assert self.soundoff and self.isso
        targets = {
            "soundoff": seed.soundoff(self.soundoff.port, self.tokens, self.thread_ids),
            "isso": seed.isso(self.isso.port),
        }
        for name, target in targets.items():
            started = time.perf_counter()
            comments = 0
            for spec in specs:
                seed.thread(target, spec, concurrency=concurrency)
                comments += spec.size
            took = time.perf_counter() - started
            self.say(f"  seeded {comments} comments into {name} over HTTP in {took:.1f} s")
            self.results["notes"].setdefault("seeding", []).append(
                {"system": name, "comments": comments, "seconds": round(took, 1), "via": "http"}
            )

    def seed_20k_over_http(self) -> bool:
        """--seed-20k auto: over HTTP when the rates just measured while
        seeding 2,210 comments say both systems take 20,000 in 4 minutes."""
        choice = self.args.seed_20k
        if choice == "auto":
            seeded = [s for s in self.results["notes"]["seeding"] if s["comments"] > 1_000]
            minutes = sum(20_000 * s["seconds"] / s["comments"] for s in seeded) / 60
            choice = "http" if minutes <= 4 else "bulk"
            self.results["notes"]["seed_20k"] = (
                f"auto: HTTP would take about {minutes:.1f} minutes, so {choice}"
            )
            self.say(f"  {self.results['notes']['seed_20k']}")
        return choice == "http"

    def seed_bulk(self, specs: list[dataset.Thread]) -> None:
        started = time.perf_counter()
        self.soundoff_data(action="bulk", threads=[[s.key, s.size] for s in specs])
        soundoff_took = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(  # noqa: S603  (our own interpreter and arguments)
            [
                str(ISSO_VENV / "bin" / "python"),
                str(ROOT / "bench" / "isso_bulk.py"),
                str(self.dir / "isso" / "comments.db"),
                json.dumps([[s.key, s.size] for s in specs]),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        isso_took = time.perf_counter() - started
        comments = sum(s.size for s in specs)
        self.say(
            f"  bulk-loaded {comments} comments: Soundoff {soundoff_took:.1f} s, "
            f"Isso {isso_took:.1f} s"
        )
        self.results["notes"].setdefault("seeding", []).append(
            {"system": "both", "comments": comments, "via": "bulk"}
        )
        # New threads: Soundoff's ids are needed to read them.
        self.thread_ids.update(self.soundoff_data(action="prepare")["threads"])

    # --- request shapes ------------------------------------------------------------

    def api_read(self, size: int) -> load.RequestFactory:
        thread_id = self.thread_ids[f"bench-{size}"]
        # What the embed widget asks for first: the oldest 20, replies windowed.
        return load.get(f"/api/v1/threads/{thread_id}/comments?sort=oldest&limit=20")

    @staticmethod
    def page_read(size: int) -> load.RequestFactory:
        return load.get(f"/posts/bench-{size}/")

    @staticmethod
    def isso_read(size: int) -> load.RequestFactory:
        return load.get(f"/?uri=/posts/bench-{size}/")

    def soundoff_write(self) -> load.RequestFactory:
        thread_id = self.thread_ids[dataset.write_thread().key]
        spec = dataset.write_thread()
        run = uuid.uuid4().hex[:8]

        def make(n: int) -> load.Request:
            body = f"{dataset.text(spec, n)} [{run}-{n}]"
            return load.Request(
                "POST",
                "/api/v1/comments",
                {
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.tokens[dataset.author(n)]}",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
                json.dumps({"thread": thread_id, "body": body}).encode(),
            )

        return make

    @staticmethod
    def isso_write() -> load.RequestFactory:
        spec = dataset.write_thread()
        run = uuid.uuid4().hex[:8]

        def make(n: int) -> load.Request:
            body = {
                "text": f"{dataset.text(spec, n)} [{run}-{n}]",
                "author": dataset.author_name(n),
                "title": f"Benchmark {spec.key}",
            }
            return load.Request(
                "POST",
                f"/new?uri={dataset.isso_uri(spec)}",
                {"Content-Type": "application/json"},
                json.dumps(body).encode(),
            )

        return make

    # --- measurements --------------------------------------------------------

    def isso_read_bounds(self, size: int, concurrency: int) -> dict[str, Any]:
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

    def reads(self, prefix: str, sizes: tuple[int, ...], concurrencies: tuple[int, ...]) -> None:
        assert self.soundoff and self.isso
        for size in sizes:
            for c in concurrencies:
                self.drive(
                    f"{prefix}api/{size}/c{c}",
                    self.soundoff,
                    self.api_read(size),
                    concurrency=c,
                    seconds=4.0,
                )
                self.drive(
                    f"{prefix}page/{size}/c{c}",
                    self.soundoff,
                    self.page_read(size),
                    concurrency=c,
                    seconds=4.0,
                )
                self.drive(
                    f"{prefix}isso/{size}/c{c}",
                    self.isso,
                    self.isso_read(size),
                    concurrency=c,
                    **self.isso_read_bounds(size, c),
                )

    def writes(self, prefix: str, concurrencies: tuple[int, ...]) -> None:
        assert self.soundoff and self.isso
        created = frozenset({201, 202})
        for c in concurrencies:
            self.drive(
                f"{prefix}write/soundoff/c{c}",
                self.soundoff,
                self.soundoff_write(),
                concurrency=c,
                seconds=5.0,
                max_requests=5_000,
                ok=created,
                warmup=False,
            )
            self.drive(
                f"{prefix}write/isso/c{c}",
                self.isso,
                self.isso_write(),
                concurrency=c,
                seconds=5.0,
                max_requests=5_000,
                ok=created,
                warmup=False,
            )

    def counts(self) -> None:
        assert self.soundoff and self.isso
        pages = dataset.count_pages()
        query = urlencode([("url", dataset.page_url(p)) for p in pages])
        soundoff = load.get(f"/api/v1/counts?{query}")
        body = json.dumps([dataset.isso_uri(p) for p in pages]).encode()
        isso_request = load.Request("POST", "/count", {"Content-Type": "application/json"}, body)
        for c in READ_CONCURRENCY:
            self.drive(
                f"counts/soundoff/c{c}", self.soundoff, soundoff, concurrency=c, seconds=4.0
            )
            self.drive(
                f"counts/isso/c{c}", self.isso, lambda n: isso_request, concurrency=c, seconds=4.0
            )

    def floor(self) -> None:
        assert self.soundoff
        for c in READ_CONCURRENCY:
            self.drive(
                f"floor/c{c}", self.soundoff, load.get("/bench/floor/"), concurrency=c, seconds=4.0
            )

    def revalidation(self) -> None:
        """Reads that a CDN or browser revalidates with the ETag they hold."""
        assert self.soundoff
        for name, make in (("page", self.page_read(200)), ("api", self.api_read(200))):
            first = make(0)
            answer: list[load.Response] = []
            load.run(
                self.soundoff.port,
                lambda n, r=first: r,
                concurrency=1,
                duration=5,
                max_requests=1,
                observe=lambda n, q, r, answer=answer: answer.append(r),
            )
            etag = answer[0].headers.get("etag") if answer else None
            if not etag:
                self.results["notes"][f"revalidate/{name}"] = "no ETag on the response"
                self.say(f"  revalidate/{name}: no ETag, skipped")
                continue
            request = load.Request("GET", first.path, {"If-None-Match": etag})
            self.drive(
                f"revalidate/{name}/200/c32",
                self.soundoff,
                lambda n, r=request: r,
                concurrency=32,
                seconds=4.0,
                ok=frozenset({304}),
            )

    def cold(self) -> None:
        """The thread read with every cache off: what a first visit costs."""
        cold = Server(
            "soundoff-cold",
            granian_command(
                self.interface, self.app, workers=self.args.workers, threads=self.args.threads
            ),
            self.soundoff_env(cache="dummy"),
            self.dir / "soundoff-cold.log",
            probe="/bench/floor/",
        ).start()
        try:
            for c in READ_CONCURRENCY:
                self.drive(
                    f"cold/page/200/c{c}", cold, self.page_read(200), concurrency=c, seconds=4.0
                )
                self.drive(
                    f"cold/api/200/c{c}", cold, self.api_read(200), concurrency=c, seconds=4.0
                )
            self.drive(
                "cold/page/20000/c1", cold, self.page_read(20_000), concurrency=1, seconds=4.0
            )
        finally:
            cold.stop()

    def commit_limit(self) -> None:
        for threads in WRITE_CONCURRENCY:
            seconds = 2.0 if self.quick else 5.0
            out = self.soundoff_data(action="commit_limit", threads=threads, seconds=seconds)
            self.results["runs"][f"commit/c{threads}"] = out
            self.say(
                f"  commit/c{threads}: {out['rate']:.1f}/s, p50 {out['p50'] * 1000:.2f} ms, "
                f"p99 {out['p99'] * 1000:.2f} ms"
            )

    def probe(self, prefix: str) -> None:
        """The scale probe, measured at ≈2,000 and at 100,000 comments."""
        assert self.soundoff and self.isso
        for size, c in ((10, 1), (200, 32)):
            self.drive(
                f"{prefix}api/{size}/c{c}",
                self.soundoff,
                self.api_read(size),
                concurrency=c,
                seconds=4.0,
            )
            self.drive(
                f"{prefix}page/{size}/c{c}",
                self.soundoff,
                self.page_read(size),
                concurrency=c,
                seconds=4.0,
            )
            self.drive(
                f"{prefix}isso/{size}/c{c}",
                self.isso,
                self.isso_read(size),
                concurrency=c,
                **self.isso_read_bounds(size, c),
            )
        self.writes(prefix, (16,))

    def verify(self, specs: list[dataset.Thread]) -> None:
        """Both systems hold every seeded comment, counted as each counts."""
        assert self.soundoff and self.isso
        for spec in specs:
            answers: list[load.Response] = []
            load.run(
                self.soundoff.port,
                load.get(f"/api/v1/threads/{self.thread_ids[spec.key]}"),
                concurrency=1,
                duration=30,
                max_requests=1,
                observe=lambda n, q, r, answers=answers: answers.append(r),
            )
            body = json.dumps([dataset.isso_uri(spec)]).encode()
            load.run(
                self.isso.port,
                lambda n, body=body: load.Request(
                    "POST", "/count", {"Content-Type": "application/json"}, body
                ),
                concurrency=1,
                duration=30,
                max_requests=1,
                observe=lambda n, q, r, answers=answers: answers.append(r),
            )
            soundoff = json.loads(answers[0].body)["comment_count"]
            isso = json.loads(answers[1].body)[0]
            if soundoff != spec.size or isso != spec.size:
                raise RuntimeError(
                    f"{spec.key} should hold {spec.size} comments; "
                    f"Soundoff counts {soundoff}, Isso {isso}"
                )

    def census(self, label: str) -> None:
        soundoff = self.soundoff_data(action="census")["comments"]
        isso = self.isso_comments()
        self.results["notes"][f"comments/{label}"] = {"soundoff": soundoff, "isso": isso}
        self.say(f"  comments in the databases ({label}): Soundoff {soundoff}, Isso {isso}")

    # --- the run ---------------------------------------------------------------

    def machine(self) -> dict[str, Any]:
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
            "soundoff_server": f"granian {self.interface.upper()} {self.app}, "
            f"{self.args.workers} workers x {self.args.threads} threads",
            "isso_server": f"gunicorn sync, {self.args.isso_workers} workers",
        }

    def run(self) -> None:
        started = time.perf_counter()
        self.results["machine"] = self.machine()
        self.say(f"Results go to {self.dir}")
        try:
            self.start_soundoff()
            self.start_isso()
            small = [dataset.write_thread(), *dataset.count_pages()]
            self.say("Seeding the write thread and 50 count pages (HTTP, one at a time)")
            self.seed_http(small, concurrency=1)
            self.say("Seeding the threads of 10, 200 and 2,000 comments (HTTP, 16 at a time)")
            self.seed_http([t for t in dataset.read_threads() if t.key != "bench-20000"])
            self.verify([t for t in dataset.read_threads() if t.key != "bench-20000"])
            self.census("small")
            self.say("Probe at the small database")
            self.probe("small/")
            big_thread = [t for t in dataset.read_threads() if t.key == "bench-20000"]
            if self.seed_20k_over_http():
                self.say("Seeding the 20,000-comment thread (HTTP, 16 at a time)")
                self.seed_http(big_thread)
            else:
                self.say("Loading the 20,000-comment thread (bulk, both alike)")
                self.seed_bulk(big_thread)
            self.verify(dataset.read_threads())
            self.census("main")
            self.say("Thread reads")
            self.reads("read/", dataset.THREAD_SIZES, READ_CONCURRENCY)
            self.say("Counts of 50 pages")
            self.counts()
            self.say("Writes")
            self.writes("", WRITE_CONCURRENCY)
            self.say("Framework floor, revalidation, cold reads")
            self.floor()
            self.revalidation()
            self.cold()
            self.say("Durable-commit limit")
            self.commit_limit()
            if not self.args.skip_big:
                soundoff_now = self.soundoff_data(action="census")["comments"]
                isso_now = self.isso_comments()
                self.say("Filling both databases to 100,000 comments (bulk, both alike)")
                self.seed_bulk_each(soundoff_now, isso_now)
                self.census("big")
                self.say("Probe at 100,000 comments")
                self.probe("big/")
        finally:
            for server in (self.soundoff, self.isso):
                if server is not None:
                    self.results["notes"][f"rss_end/{server.name}"] = round(server.rss_mb(), 1)
                    server.stop()
            self.results["machine"]["load_end"] = os.getloadavg()
            self.results["seconds"] = round(time.perf_counter() - started, 1)
            (self.dir / "results.json").write_text(json.dumps(self.results, indent=2))
        table = report.render(self.results)
        (self.dir / "table.txt").write_text(table)
        print(table)
        self.say(f"Done in {self.results['seconds']:.0f} s; results in {self.dir}")

    def seed_bulk_each(self, soundoff_now: int, isso_now: int) -> None:
        """Fill each database to 100,000 with the same filler threads; the
        write benchmark left each with a different number of comments."""
        soundoff_fill = dataset.filler_threads(soundoff_now)
        isso_fill = dataset.filler_threads(isso_now)
        started = time.perf_counter()
        self.soundoff_data(action="bulk", threads=[[s.key, s.size] for s in soundoff_fill])
        took = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(  # noqa: S603  (our own interpreter and arguments)
            [
                str(ISSO_VENV / "bin" / "python"),
                str(ROOT / "bench" / "isso_bulk.py"),
                str(self.dir / "isso" / "comments.db"),
                json.dumps([[s.key, s.size] for s in isso_fill]),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        self.say(
            f"  bulk-loaded {len(soundoff_fill)} / {len(isso_fill)} filler threads: "
            f"Soundoff {took:.1f} s, Isso {time.perf_counter() - started:.1f} s"
        )


def stop_on_term(signum: int, frame: object) -> None:
    # SIGTERM (a timeout, a kill) unwinds like Ctrl-C, so the servers stop.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, stop_on_term)
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="granian worker processes for Soundoff (default 1, as bin/run; more use "
        "Redis at BENCH_REDIS_URL, as bin/run requires)",
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
    Bench(parser.parse_args()).run()


if __name__ == "__main__":
    main()
