"""Acknowledged comments survive a crash of the server.

A real server, started as bin/run starts it (testkit.servers.Server), runs on a
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

import http.client
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from testkit import servers

CLIENTS = 16
# Bounds of the load before the kill: whichever comes first.
ACKS_BEFORE_KILL = 160
LOAD_SECONDS = 8.0
PER_CLIENT_MAX = 200

pytestmark = pytest.mark.durability


# --- the server under test: what bin/run serves, on a database of its own ---


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    # The clients all post as one reader from one address, far faster than a
    # person: the limits are not what this test is about.
    limits = {
        "SOUNDOFF_COMMENT_RATE": "1000000/60",
        "SOUNDOFF_COMMENT_RATE_SUSTAINED": "1000000/3600",
        "SOUNDOFF_IP_COMMENT_RATE": "1000000/60",
        "SOUNDOFF_IP_COMMENT_RATE_SUSTAINED": "1000000/3600",
    }
    try:
        with servers.server_env(tmp_path, **limits) as env:
            yield env
    except servers.Unavailable as exc:
        pytest.skip(str(exc))


SEED = """
import json
from testkit import cast
from soundoff.api.tokens import issue_token
reader = cast.make_reader("Durable Reader")
post = cast.make_post(headline="Sirens downtown", slug="sirens-downtown")
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


# --- the clients --------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients sent and what the server acknowledged, by key."""

    sent: dict[str, str] = field(default_factory=dict)  # key -> body
    acked: dict[str, int] = field(default_factory=dict)  # key -> comment id
    refused: list[tuple[int, dict]] = field(default_factory=list)
    # Held to change the ledger; notified at each acknowledgement.
    changed: threading.Condition = field(default_factory=threading.Condition)


def client(
    n: int, port: int, thread_id: int, token: str, ledger: Ledger, killed: threading.Event
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    deadline = time.monotonic() + LOAD_SECONDS + 10
    try:
        for i in range(PER_CLIENT_MAX):
            if killed.is_set() or time.monotonic() > deadline:
                return
            key = str(uuid.uuid4())
            body = f"Client {n}, comment {i}: still here after the crash? ({key[:8]})"
            with ledger.changed:
                ledger.sent[key] = body
            try:
                status, answer = servers.api_post(
                    port, token, thread_id, body, idempotency_key=key, conn=conn
                )
            except (OSError, http.client.HTTPException):
                # Cut off: by the kill, or (before it) a failure the final
                # checks will show as a missing acknowledgement.
                conn.close()
                if killed.is_set():
                    return
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            with ledger.changed:
                if status in (201, 202):
                    ledger.acked[key] = answer["id"]
                    ledger.changed.notify_all()
                else:
                    ledger.refused.append((status, answer))
    finally:
        conn.close()


# --- the test -----------------------------------------------------------------


def test_acknowledged_comments_survive_sigkill_and_retries_do_not_duplicate(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    seed = servers.shell_json(server_env, SEED)
    thread_id, token = seed["thread"], seed["token"]
    server = servers.Server(server_env, tmp_path / "granian.log")
    ledger = Ledger()
    killed = threading.Event()
    try:
        server.start()
        clients = [
            threading.Thread(
                target=client, args=(n, server.port, thread_id, token, ledger, killed)
            )
            for n in range(CLIENTS)
        ]
        for t in clients:
            t.start()
        with ledger.changed:
            ledger.changed.wait_for(
                lambda: len(ledger.acked) >= ACKS_BEFORE_KILL, timeout=LOAD_SECONDS
            )
        # Kill while the clients are still posting: requests are in flight.
        killed.set()
        server.kill()
        for t in clients:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in clients), "a client did not stop"

        assert ledger.refused == [], "the server refused comments under load"
        assert ledger.acked, "no comment was acknowledged before the kill"
        unacked = [key for key in ledger.sent if key not in ledger.acked]

        server.start()
        before = servers.shell_json(server_env, ROWS % thread_id)
        stored = {key: pk for key, pk, _ in before["rows"]}
        lost = {key: pk for key, pk in ledger.acked.items() if stored.get(key) != pk}
        assert lost == {}, f"{len(lost)} acknowledged comments were lost in the crash"

        # Retry what was never acknowledged, and a few that were, with the
        # same keys: a client that lost the answer does exactly this.
        for key in [*unacked, *list(ledger.acked)[:5]]:
            status, answer = servers.api_post(
                server.port, token, thread_id, ledger.sent[key], idempotency_key=key
            )
            assert status in (201, 202), answer
            if key in stored:
                assert answer["id"] == stored[key], "a retry answered with another comment"

        after = servers.shell_json(server_env, ROWS % thread_id)
        keys = [key for key, _, _ in after["rows"]]
        assert sorted(keys) == sorted(ledger.sent), "a key has no comment, or more than one"
        assert after["comment_count"] == after["visible"], "the thread's count drifted"
    finally:
        killed.set()
        server.kill()
