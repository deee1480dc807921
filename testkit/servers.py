"""Real servers for tests of live updates (their SSE client: testkit.streams).

Part of testkit, beside the cast, so that every test module and benchmark
starts servers the same way instead of importing other tests.

Each server is what bin/run starts: granian serving soundoff.asgi's gateway
over RSGI, pages and streams on one port. It runs on a database of its own
(a migrated SQLite file in a directory the caller gives, or a PostgreSQL
database created for it when DATABASE_URL is set), and on Redis when
REDIS_URL is set, under a Redis prefix of its own. Data is made through
``manage.py shell`` in the server's environment, which is also a process
that serves no streams, as the task worker is.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 30.0


class Unavailable(Exception):
    """A service the servers need is not there (the caller skips)."""


# --- the environment of a server ---------------------------------------------


@contextlib.contextmanager
def server_env(data_dir: Path, **overrides: str) -> Iterator[dict[str, str]]:
    """An environment for servers sharing one migrated database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith("SOUNDOFF_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="soundoff.settings",
        SOUNDOFF_DATA_DIR=str(data_dir),
        SOUNDOFF_SECRET_KEY=secrets.token_urlsafe(40),
        SOUNDOFF_TESTING="1",
        SOUNDOFF_LOG_LEVEL="WARNING",
        SOUNDOFF_CACHE_PREFIX=f"live-test-{secrets.token_hex(4)}",
        SOUNDOFF_LIVE_PREFIX=f"live-test-{secrets.token_hex(4)}",
    )
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    env.update(overrides)
    with _database(env) as database_env:
        manage(database_env, "migrate", "--noinput", "-v0")
        yield database_env


@contextlib.contextmanager
def _database(env: dict[str, str]) -> Iterator[dict[str, str]]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        yield env
        return
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise Unavailable(
            f"DATABASE_URL is {parts.scheme}://…; servers run on SQLite or PostgreSQL."
        )
    import psycopg

    name = f"soundoff_live_{os.getpid()}_{secrets.token_hex(3)}"
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield {**env, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_python(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """This interpreter on ``args`` (a script and its arguments, or ``-c``
    and code) from the repository's root, as a server process would start:
    output captured as text, the exit status left to the caller."""
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage(env: dict[str, str], *args: str) -> str:
    done = run_python(env, "manage.py", *args)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def shell_json(env: dict[str, str], code: str) -> Any:
    """Run ``code`` in ``manage.py shell`` and read the JSON it prints last."""
    out = manage(env, "shell", "--no-imports", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


SEED = """
import json
from testkit import cast
from soundoff.api.tokens import issue_token
reader = cast.make_reader("Alice Reader", email="alice@example.com")
other = cast.make_reader("Bob Reader", email="bob@example.com")
post = cast.make_post(headline="Water main breaks downtown", slug="water-main")
draft = cast.make_post(headline="Not yet", slug="not-yet", status="draft")
print(json.dumps({
    "thread": post.thread.pk, "draft_thread": draft.thread.pk, "slug": post.slug,
    "reader": reader.email, "token": issue_token(reader), "other_token": issue_token(other),
}))
"""

# Loads what posting needs, waits for a line on stdin, posts, and reports
# once this process's publisher has published the comment's live event.
POST_COMMENT = """
import json, sys
from testkit import cast
from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, Thread
from soundoff.discussion.services import post_comment
from soundoff.live.receivers import publisher
sys.stdin.readline()
parent = Comment.objects.get(pk=%(parent)s) if %(parent)s else None
result = post_comment(
    Thread.objects.get(pk=%(thread)d), author=User.objects.get(email=%(email)r),
    body=%(body)r, client=cast.CLIENT, parent=parent,
)
assert publisher.flush(timeout=60), "the comment's live event was not published within 60 s"
print(json.dumps({"id": result.comment.pk, "status": result.comment.status}))
"""


@contextlib.contextmanager
def seeded_server(data_dir: Path, **overrides: str) -> Iterator[tuple[Server, dict[str, Any]]]:
    """A started server on a fresh database holding SEED's world, and that
    world (ids, slug, tokens); stopped on the way out."""
    with server_env(data_dir, **overrides) as env:
        seed = shell_json(env, SEED)
        server = Server(env, data_dir / "server.log").start()
        try:
            yield server, seed
        finally:
            server.stop()


@contextlib.contextmanager
def ready_to_post(
    env: dict[str, str], thread: int, body: str, *, email: str, parent: int | None = None
) -> Iterator[Callable[[], dict[str, Any]]]:
    """A ``manage.py shell`` (a process that serves no streams) started and
    ready to post a comment, and what posts it: Django's start-up (seconds
    on a loaded machine) comes before whatever the caller opens in between,
    so a stream's lifetime needs to cover only the posting. What posts it
    returns once the comment's live event is published."""
    values = {"thread": thread, "body": body, "email": email, "parent": parent or 0}
    process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", POST_COMMENT % values],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def post() -> dict[str, Any]:
        out, err = process.communicate("go\n", timeout=120)
        assert process.returncode == 0, f"posting from manage.py shell failed:\n{err[-3000:]}"
        return json.loads(out.strip().splitlines()[-1])

    try:
        yield post
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def post_from_shell(
    env: dict[str, str], thread: int, body: str, *, email: str, parent: int | None = None
) -> dict[str, Any]:
    """Post a comment from a process that serves no streams."""
    with ready_to_post(env, thread, body, email=email, parent=parent) as post:
        return post()


# --- a server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    env: dict[str, str]
    log: Path
    workers: int = 1
    # What granian serves: Soundoff, or (tests of the gateway) another target.
    app: str = "soundoff.asgi:application"
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.port = free_port()
        self.process = start_in_session(
            [
                *(sys.executable, "-m", "soundoff.serve", "--interface", "rsgi"),
                *("--host", "127.0.0.1", "--port", str(self.port)),
                *("--workers", str(self.workers), "--http", "1", "--no-ws"),
                *("--backpressure", "4096"),
                self.app,
            ],
            self.env,
            self.log,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"granian exited:\n{self.log.read_text()[-3000:]}"
            with contextlib.suppress(OSError):
                if request(self.port, "GET", "/")[0] == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError(f"granian did not answer in {START_TIMEOUT:.0f} s")

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.connect()
        return conn

    def worker_of(self, conn: http.client.HTTPConnection) -> int:
        """The pid of the worker process that accepted ``conn`` (Linux:
        read from /proc, waiting for the worker to accept it)."""
        assert self.process is not None and conn.sock is not None
        client_port = conn.sock.getsockname()[1]
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            inode = _server_side_socket(self.port, client_port)
            for pid in _descendants(self.process.pid):
                if inode is not None and _holds_socket(pid, inode):
                    return pid
            time.sleep(0.05)
        raise AssertionError(f"no worker accepted the connection from port {client_port}")

    def connections_on_each_worker(self, count: int) -> list[list[http.client.HTTPConnection]]:
        """``count`` open connections accepted by each worker, worker by worker."""
        by_worker: dict[int, list[http.client.HTTPConnection]] = {}
        spare: list[http.client.HTTPConnection] = []
        for _attempt in range(50 * self.workers * count):
            conn = self.connect()
            held = by_worker.setdefault(self.worker_of(conn), [])
            (held if len(held) < count else spare).append(conn)
            if len(by_worker) == self.workers and all(
                len(held) == count for held in by_worker.values()
            ):
                break
        for conn in spare:
            conn.close()
        assert len(by_worker) == self.workers, "the connections all went to one worker"
        return list(by_worker.values())

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM killer would: nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        stop_group(self.process)
        self.process = None


def start_in_session(
    command: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """Start ``command`` from the repository's root in a session of its own
    (so that stop_group ends it with every worker it starts), its output
    appended to ``log``."""
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - commands built by testkit and bench, not input
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """End a process started in a session of its own, with what it started:
    SIGTERM to the group, SIGKILL if it is still there 15 s later."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def _server_side_socket(server_port: int, client_port: int) -> str | None:
    """The inode of the server's end of a loopback TCP connection."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                local, remote, inode = fields[1], fields[2], fields[9]
                if (
                    int(local.rsplit(":", 1)[1], 16) == server_port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port
                ):
                    return inode
    return None


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
                # The parent pid is the second field after the ")" closing the name.
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        found += children
        frontier += children
    return found


def _holds_socket(pid: int, inode: str) -> bool:
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return True
    return False


def request(
    port: int,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    *,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request, on ``conn`` if given (kept open), else on a new connection."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if data else {}
        conn.request(method, path, body=data, headers={**sent, **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        if own:
            conn.close()


def api_post(
    port: int,
    token: str,
    thread: int,
    body: str,
    *,
    idempotency_key: str | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, Any]]:
    """POST a comment through the API as the reader ``token`` names; the
    status and the JSON answer."""
    headers = {"Authorization": f"Bearer {token}"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    status, _, raw = request(
        port, "POST", "/api/v1/comments", {"thread": thread, "body": body}, headers, conn=conn
    )
    return status, json.loads(raw or b"{}")
