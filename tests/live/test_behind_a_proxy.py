"""A real server behind one proxy (SOUNDOFF_TRUSTED_PROXY_HOPS=1 in its
environment): every request comes from the proxy's address, 127.0.0.1, and
names its reader in the last X-Forwarded-For entry, as nginx's
``$proxy_add_x_forwarded_for`` writes it. Readers keep their own comment
rate limits and their own stream caps; entries a client writes to the left
of the proxy's change nothing.
"""

from __future__ import annotations

import pytest

from testkit.servers import request, seeded_server
from testkit.streams import Stream

PER_IP = 2
ALICE = "203.0.113.10"
BOB = "198.51.100.20"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("behind-proxy")
    with seeded_server(
        data_dir,
        SOUNDOFF_TRUSTED_PROXY_HOPS="1",
        SOUNDOFF_LIVE_STREAMS_PER_IP=str(PER_IP),
        SOUNDOFF_COMMENT_RATE="1000/60",
        # An hour's window: a minute's could turn over between the posts.
        SOUNDOFF_IP_COMMENT_RATE="2/3600",
    ) as world:
        yield world


def post_comment(world, token: str, forwarded_for: str, body: str) -> int:
    server, seed = world
    status, _, _ = request(
        server.port,
        "POST",
        "/api/v1/comments",
        {"thread": seed["thread"], "body": body},
        {"Authorization": f"Bearer {token}", "X-Forwarded-For": forwarded_for},
    )
    return status


def open_stream(world, open_streams, forwarded_for: str) -> int:
    server, seed = world
    headers = {"X-Forwarded-For": forwarded_for}
    stream = Stream(server.port, f"/live/threads/{seed['thread']}/", headers).open()
    open_streams.append(stream)
    return stream.status


def test_readers_behind_one_proxy_keep_their_own_comment_rate_limits(world):
    _, seed = world
    alice, bob = seed["token"], seed["other_token"]

    assert post_comment(world, alice, ALICE, "First from Alice.") == 201
    assert post_comment(world, alice, ALICE, "Second from Alice.") == 201
    assert post_comment(world, alice, ALICE, "Third from Alice.") == 429
    # A made-up entry to the left of the proxy's is the client's own writing.
    assert post_comment(world, alice, f"192.0.2.99, {ALICE}", "Fourth from Alice.") == 429
    # Bob comes through the same proxy, from his own address.
    assert post_comment(world, bob, BOB, "First from Bob.") == 201
    assert post_comment(world, bob, f"{ALICE}, {BOB}", "Second from Bob.") == 201
    assert post_comment(world, bob, BOB, "Third from Bob.") == 429


def test_readers_behind_one_proxy_keep_their_own_stream_caps(world, open_streams):
    assert [open_stream(world, open_streams, ALICE) for _ in range(PER_IP)] == [200] * PER_IP
    assert open_stream(world, open_streams, ALICE) == 429
    assert open_stream(world, open_streams, f"192.0.2.99, {ALICE}") == 429
    assert open_stream(world, open_streams, f"{BOB}, {ALICE}") == 429

    assert [open_stream(world, open_streams, BOB) for _ in range(PER_IP)] == [200] * PER_IP
    assert open_stream(world, open_streams, BOB) == 429
