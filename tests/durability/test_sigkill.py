"""Acknowledged comments survive a crash of the server.

A real granian server (the same WSGI application bin/run serves) runs on a
database of its own: a migrated SQLite file in tmp_path (WAL,
synchronous=FULL, as settings.py configures it) or, when the suite runs with
DATABASE_URL=postgres://…, a database created for this test and dropped
after it. Sixteen clients post comments through the API, each with an
Idempotency-Key; the server is killed with SIGKILL mid-load, so requests are
cut at every stage: before the commit, between the commit and the answer,
and in the socket. After a restart:

- every comment whose creation was acknowledged (201 or 202) is there, with
  the id the client was given;
- retrying every request with its own key creates what never arrived and
  answers with the existing comment for what did, so each key has exactly
  one comment and the thread's count matches its rows.

Nothing here times the server: speed is measured in bench/, not in tests.
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
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 16
# Bounds of the load before the kill: whichever comes first.
ACKS_BEFORE_KILL = 160
LOAD_SECONDS = 8.0
PER_CLIENT_MAX = 200
START_TIMEOUT = 30.0

pytestmark = pytest.mark.durability


# --- the database the server under test uses ---------------------------------


def postgres_urls() -> tuple[str, str] | None:
    """(maintenance URL, URL of a database of this test's own), or None on SQLite.

    Skips when DATABASE_URL names a database this test cannot use.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        pytest.skip(f"DATABASE_URL is {parts.scheme}://…; this test runs on SQLite or PostgreSQL.")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    own = urlunsplit(parts._replace(path=f"/soundoff_durability_{os.getpid()}"))
    return maintenance, own


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="soundoff.settings",
        SOUNDOFF_DATA_DIR=str(tmp_path),
        SOUNDOFF_SECRET_KEY=secrets.token_urlsafe(40),
        SOUNDOFF_TESTING="1",
        # The clients all post as one reader from one address, far faster
        # than a person: the limits are not what this test is about.
        SOUNDOFF_COMMENT_RATE="1000000/60",
        SOUNDOFF_COMMENT_RATE_SUSTAINED="1000000/3600",
        SOUNDOFF_IP_COMMENT_RATE="1000000/60",
        SOUNDOFF_IP_COMMENT_RATE_SUSTAINED="1000000/3600",
        # With REDIS_URL (the scale-out run) keep this server's counters apart.
        SOUNDOFF_CACHE_PREFIX=f"durability-{os.getpid()}",
    )
    urls = postgres_urls()
    if urls is None:
        yield env
        return
    psycopg = pytest.importorskip("psycopg")
    maintenance, own = urls
    name = urlsplit(own).path.lstrip("/")
    try:
        admin = psycopg.connect(maintenance, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        pytest.skip(f"DATABASE_URL points to no PostgreSQL this test can use: {exc}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield {**env, "DATABASE_URL": own}
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def shell_json(env: dict[str, str], code: str) -> dict:
    """Run ``code`` in ``manage.py shell`` and read the JSON it prints last."""
    out = manage(env, "shell", "--no-imports", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


SEED = """
import json
from soundoff import testing
from soundoff.api.tokens import issue_token
reader = testing.make_reader("Durable Reader")
post = testing.make_post(headline="Sirens downtown", slug="sirens-downtown")
print(json.dumps({"thread": post.thread.pk, "token": issue_token(reader)}))
"""

ROWS = """
import json
from soundoff.discussion.models import Comment, Thread
thread = Thread.objects.get(pk=%d)
rows = list(Comment.objects.filter(thread=thread).values_list("submission_key", "pk", "status"))
visible = Comment.objects.filter(thread=thread).visible().count()
print(json.dumps({
    "rows": [[str(key) if key else None, pk, status] for key, pk, status in rows],
    "comment_count": thread.comment_count,
    "visible": visible,
}))
"""


# --- the server ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    env: dict[str, str]
    log: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self, probe: str) -> None:
        self.port = free_port()
        with self.log.open("ab") as log:
            # A session of its own, so that SIGKILL reaches granian's workers too.
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "granian", "--interface", "wsgi"),
                    *("--host", "127.0.0.1", "--port", str(self.port)),
                    *("--workers", "1", "--blocking-threads", "8", "--no-ws"),
                    "soundoff.wsgi:application",
                ],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"granian exited:\n{self.log.read_text()[-3000:]}"
            try:
                status, _ = request(self.port, "GET", probe)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"granian did not answer in {START_TIMEOUT:.0f} s")

    def kill(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None


def request(
    port: int,
    method: str,
    path: str,
    body: dict | None = None,
    headers: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(
            method,
            path,
            body=data,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else {})
    finally:
        if own:
            conn.close()


# --- the clients --------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients sent and what the server acknowledged, by key."""

    sent: dict[str, str] = field(default_factory=dict)  # key -> body
    acked: dict[str, int] = field(default_factory=dict)  # key -> comment id
    refused: list[tuple[int, dict]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(
    n: int, port: int, thread_id: int, token: str, ledger: Ledger, killed: threading.Event
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    deadline = time.monotonic() + LOAD_SECONDS + 10
    try:
        for i in range(PER_CLIENT_MAX):
            if killed.is_set() or time.monotonic() > deadline:
                return
            key = str(uuid.uuid4())
            body = f"Client {n}, comment {i}: still here after the crash? ({key[:8]})"
            with ledger.lock:
                ledger.sent[key] = body
            try:
                status, answer = request(
                    port,
                    "POST",
                    "/api/v1/comments",
                    {"thread": thread_id, "body": body},
                    {**headers, "Idempotency-Key": key},
                    conn,
                )
            except (OSError, http.client.HTTPException):
                # Cut off: by the kill, or (before it) a failure the final
                # checks will show as a missing acknowledgement.
                conn.close()
                if killed.is_set():
                    return
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            with ledger.lock:
                if status in (201, 202):
                    ledger.acked[key] = answer["id"]
                else:
                    ledger.refused.append((status, answer))
    finally:
        conn.close()


# --- the test -----------------------------------------------------------------


def test_acknowledged_comments_survive_sigkill_and_retries_do_not_duplicate(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    manage(server_env, "migrate", "--noinput", "-v0")
    seed = shell_json(server_env, SEED)
    thread_id, token = seed["thread"], seed["token"]
    probe = f"/api/v1/threads/{thread_id}"
    server = Server(server_env, tmp_path / "granian.log")
    ledger = Ledger()
    killed = threading.Event()
    try:
        server.start(probe)
        clients = [
            threading.Thread(
                target=client, args=(n, server.port, thread_id, token, ledger, killed)
            )
            for n in range(CLIENTS)
        ]
        for t in clients:
            t.start()
        deadline = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < deadline and len(ledger.acked) < ACKS_BEFORE_KILL:
            time.sleep(0.02)
        # Kill while the clients are still posting: requests are in flight.
        killed.set()
        server.kill()
        for t in clients:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in clients), "a client did not stop"

        assert ledger.refused == [], "the server refused comments under load"
        assert ledger.acked, "no comment was acknowledged before the kill"
        unacked = [key for key in ledger.sent if key not in ledger.acked]

        server.start(probe)
        before = shell_json(server_env, ROWS % thread_id)
        stored = {key: pk for key, pk, _ in before["rows"]}
        lost = {key: pk for key, pk in ledger.acked.items() if stored.get(key) != pk}
        assert lost == {}, f"{len(lost)} acknowledged comments were lost in the crash"

        # Retry what was never acknowledged, and a few that were, with the
        # same keys: a client that lost the answer does exactly this.
        headers = {"Authorization": f"Bearer {token}"}
        for key in [*unacked, *list(ledger.acked)[:5]]:
            status, answer = request(
                server.port,
                "POST",
                "/api/v1/comments",
                {"thread": thread_id, "body": ledger.sent[key]},
                {**headers, "Idempotency-Key": key},
            )
            assert status in (201, 202), answer
            if key in stored:
                assert answer["id"] == stored[key], "a retry answered with another comment"

        after = shell_json(server_env, ROWS % thread_id)
        keys = [key for key, _, _ in after["rows"]]
        assert sorted(keys) == sorted(ledger.sent), "a key has no comment, or more than one"
        assert after["comment_count"] == after["visible"], "the thread's count drifted"
    finally:
        killed.set()
        server.kill()
