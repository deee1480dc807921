"""The live streams' own process (soundoff/live/server.py), as bin/run
starts it: soundoff.serve with SOUNDOFF_LIVE_PORT forks it beside granian,
and pages open their streams on that port of their own host.

Real sockets throughout; comments are posted from ``manage.py shell`` (a
process that serves no streams), so they reach the stream process through
the journal, or through Redis with REDIS_URL.
"""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from testkit.servers import (
    Server,
    free_port,
    post_from_shell,
    request,
    seeded_server,
    server_env,
    shell_json,
)
from testkit.streams import Stream

# The session cookies of a moderator and of a reader.
SESSIONS = """
import json
from django.conf import settings
from django.test import Client
from testkit import cast
from soundoff.accounts.models import User
cookies = {"name": settings.SESSION_COOKIE_NAME}
for key, user in (
    ("moderator", cast.make_moderator("Max Moderator", email="max@example.com")),
    ("reader", User.objects.get(email="bob@example.com")),
):
    client = Client()
    client.force_login(user)
    cookies[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps(cookies))
"""


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on port {port}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("stream-server")
    live_port = free_port()
    with seeded_server(
        data_dir,
        SOUNDOFF_LIVE_PORT=str(live_port),
        SOUNDOFF_LIVE_RETRY="1",
        SOUNDOFF_LIVE_HEAD_SECONDS="1",
        SOUNDOFF_EMBED_ORIGINS="http://allowed.example",
        SOUNDOFF_COMMENT_RATE="1000/60",
        SOUNDOFF_IP_COMMENT_RATE="1000/60",
    ) as (server, seed):
        _wait_for(live_port)
        yield server, seed, live_port


def stream(world, open_streams, *, path=None, headers=None) -> Stream:
    _, seed, live_port = world
    opened = Stream(live_port, path or f"/live/threads/{seed['thread']}/", headers or {}).open()
    open_streams.append(opened)
    return opened


def raw(port: int, data: bytes) -> bytes:
    """What the server answers ``data`` with, up to its closing."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_pages_open_their_streams_on_the_streams_port(world):
    server, seed, live_port = world
    status, headers, body = request(server.port, "GET", f"/posts/{seed['slug']}/")
    assert status == 200
    assert f'data-live-port="{live_port}"'.encode() in body
    assert f"127.0.0.1:{live_port}" in headers["content-security-policy"]


def test_a_comment_reaches_a_stream_held_by_the_stream_process(world, open_streams):
    server, seed, _ = world
    s = stream(world, open_streams)
    assert s.status == 200
    assert s.response_headers["content-type"].startswith("text/event-stream")
    assert s.response_headers["transfer-encoding"] == "chunked"
    assert s.next().retry == 1000
    assert s.until("count").json()["text"] == "soundoff (No Responses)"

    posted = post_from_shell(server.env, seed["thread"], "Heard *live*.", email=seed["reader"])
    comment = s.until("comment").json()
    assert comment["id"] == posted["id"]
    assert "<em>live</em>" in comment["html"]
    count = s.until("count")
    assert count.json()["text"].startswith("soundoff (")

    # A reconnect with the last id gets nothing again; one from before the
    # comment gets it replayed.
    again = stream(world, open_streams, headers={"Last-Event-ID": count.id})
    assert again.next().retry == 1000
    assert again.next().name == "count"
    seq = int(count.id.rsplit(".", 1)[1])
    before = f"{count.id.rsplit('.', 1)[0]}.{seq - 1}"
    replayed = stream(world, open_streams, headers={"Last-Event-ID": before})
    assert replayed.until("comment").json()["id"] == posted["id"]


def test_the_pages_origin_on_its_own_port_gets_cors(world, open_streams):
    server, _, _ = world
    s = stream(world, open_streams, headers={"Origin": server.url})
    assert s.status == 200
    assert s.response_headers["access-control-allow-origin"] == server.url


def test_embedding_origins_are_checked_as_on_the_pages_port(world, open_streams):
    allowed = stream(world, open_streams, headers={"Origin": "http://allowed.example"})
    assert allowed.status == 200
    assert allowed.response_headers["access-control-allow-origin"] == "http://allowed.example"
    refused = stream(world, open_streams, headers={"Origin": "http://evil.example"})
    assert refused.status == 403
    assert "access-control-allow-origin" not in refused.response_headers


def test_a_preflight_is_answered_and_closed(world):
    server, seed, live_port = world
    answer = raw(
        live_port,
        f"OPTIONS /live/threads/{seed['thread']}/ HTTP/1.1\r\nHost: 127.0.0.1:{live_port}\r\n"
        f"Origin: {server.url}\r\nAccess-Control-Request-Method: GET\r\n\r\n".encode(),
    )
    head = answer.split(b"\r\n\r\n", 1)[0].decode().lower()
    assert head.startswith("http/1.1 204")
    assert f"access-control-allow-origin: {server.url}" in head
    assert "access-control-allow-methods: get" in head


def test_what_is_not_a_stream_is_refused(world, open_streams):
    _, _, live_port = world
    assert stream(world, open_streams, path="/live/threads/999999/").status == 404
    assert stream(world, open_streams, path="/posts/").status == 404
    assert raw(live_port, b"nonsense\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    too_long = b"GET /live/threads/1/ HTTP/1.1\r\nX: " + b"x" * 20_000 + b"\r\n\r\n"
    assert raw(live_port, too_long).startswith(b"HTTP/1.1 431 ")
    bad_host = raw(live_port, b"GET /live/threads/1/ HTTP/1.1\r\nHost: evil.example\r\n\r\n")
    assert bad_host.startswith(b"HTTP/1.1 400 ")


def test_a_request_head_that_never_ends_is_answered_408_and_closed(world):
    _, _, live_port = world
    # SOUNDOFF_LIVE_HEAD_SECONDS is 1 here; raw() would give up after 10.
    assert raw(live_port, b"GET /live/threads/1/ HTTP/1.1\r\nHost: 127").startswith(
        b"HTTP/1.1 408 "
    )


def test_the_moderation_queue_on_the_pages_origin_sends_its_cookie(world, open_streams):
    server, seed, _ = world
    sessions = shell_json(server.env, SESSIONS)
    cookie = {"Cookie": f"{sessions['name']}={sessions['moderator']}"}
    desk = stream(
        world, open_streams, path="/live/moderation/", headers={"Origin": server.url, **cookie}
    )
    assert desk.status == 200
    assert desk.response_headers["access-control-allow-origin"] == server.url
    assert desk.response_headers["access-control-allow-credentials"] == "true"
    posted = post_from_shell(server.env, seed["thread"], "For the desk.", email=seed["reader"])
    assert desk.until("queue").json() == {"comment": posted["id"]}

    reader = {"Cookie": f"{sessions['name']}={sessions['reader']}"}
    assert stream(world, open_streams, path="/live/moderation/", headers=reader).status == 403
    elsewhere = {"Origin": "http://evil.example", **cookie}
    assert stream(world, open_streams, path="/live/moderation/", headers=elsewhere).status == 403


def test_a_taken_streams_port_stops_the_server_before_it_starts(tmp_path):
    # bin/run then ends and says so, rather than serve pages whose live
    # updates never come.
    with (
        socket.create_server(("127.0.0.1", 0)) as taken,
        server_env(tmp_path, SOUNDOFF_LIVE_PORT=str(taken.getsockname()[1])) as env,
    ):
        server = Server(env, tmp_path / "server.log")
        with pytest.raises(AssertionError, match="granian exited"):
            server.start()
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert "The live streams' port 127.0.0.1:" in log
    assert "Starting granian" not in log


def test_the_stream_process_ends_with_the_server(tmp_path):
    # Even when the server is killed outright: nothing is left holding the
    # streams' port for the next start.
    live_port = free_port()
    with server_env(tmp_path, SOUNDOFF_LIVE_PORT=str(live_port)) as env:
        server = Server(env, tmp_path / "server.log").start()
        try:
            _wait_for(live_port)
            assert server.process is not None
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", live_port), timeout=1).close()
                except OSError:
                    break
                assert time.monotonic() < deadline, "the stream process outlived the server"
                time.sleep(0.1)
        finally:
            server.stop()
