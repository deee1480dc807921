"""Several workers of one server, without Redis: what bin/run serves by default.

granian --workers 2 on one port, as bin/run starts it on a 2-core machine.
The kernel hands each connection to one worker; the tests find out which
(from /proc) so that each proves something crosses from one worker to the
other: live events and their numbering (the journal), rate limits (the
shared cache) and the cap on streams per address (the journal's slots).
"""

from __future__ import annotations

import sys

import pytest

from testkit.servers import SEED, Server, api_post, post_from_shell, server_env, shell_json
from testkit.streams import Stream

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds each connection's worker in /proc"
)

PER_IP = 2
COMMENTS_PER_MINUTE = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory, monkeypatch_module):
    # Local workers only: no Redis, whatever the environment says.
    monkeypatch_module.delenv("REDIS_URL", raising=False)
    data_dir = tmp_path_factory.mktemp("workers")
    with server_env(
        data_dir,
        SOUNDOFF_COMMENT_RATE=f"{COMMENTS_PER_MINUTE}/60",
        SOUNDOFF_LIVE_STREAMS_PER_IP=str(PER_IP),
    ) as env:
        seed = shell_json(env, SEED)
        server = Server(env, data_dir / "server.log", workers=2).start()
        try:
            yield env, server, seed
        finally:
            server.stop()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def stream_on(server: Server, conn, thread: int, open_streams, **headers: str) -> Stream:
    stream = Stream(server.port, f"/live/threads/{thread}/", headers, conn=conn).open()
    open_streams.append(stream)
    return stream


def test_comment_posted_through_one_worker_reaches_a_stream_held_by_the_other(
    server, open_streams
):
    _, server, seed = server
    [[here, post_here], [there, spare]] = server.connections_on_each_worker(2)
    spare.close()
    near = stream_on(server, here, seed["thread"], open_streams)
    far = stream_on(server, there, seed["thread"], open_streams)
    assert server.worker_of(near.conn) != server.worker_of(far.conn)
    assert server.worker_of(post_here) == server.worker_of(near.conn)
    near.until("count")
    far.until("count")

    status, body = api_post(
        server.port, seed["token"], seed["thread"], "Through one worker.", conn=post_here
    )
    assert status == 201, body

    for stream in (near, far):
        assert stream.until("comment").json()["id"] == body["id"]
    # Numbered once, the same for both: a reconnect may land on either.
    assert near.until("count").id == far.until("count").id


def test_a_reader_reconnecting_to_the_other_worker_catches_up(server, open_streams):
    env, server, seed = server
    [[first], [second]] = server.connections_on_each_worker(1)
    stream = stream_on(server, first, seed["thread"], open_streams)
    stream.until("count")
    post_from_shell(env, seed["thread"], "Seen live.", email=seed["reader"])
    seen = stream.until("count").id
    stream.close()
    missed = post_from_shell(env, seed["thread"], "Missed while away.", email=seed["reader"])

    again = stream_on(server, second, seed["thread"], open_streams, **{"Last-Event-ID": seen})
    assert again.until("comment").json()["id"] == missed["id"]


def test_rate_limit_hit_through_one_worker_holds_on_the_other(server):
    _, server, seed = server
    [[here], [there]] = server.connections_on_each_worker(1)
    try:
        # All but one of the reader's comments go through the first worker.
        for n in range(COMMENTS_PER_MINUTE):
            conn = there if n == 0 else here
            status, body = api_post(
                server.port, seed["other_token"], seed["thread"], f"Comment {n}.", conn=conn
            )
            assert status == 201, body
        # The second worker took one: only a count both share refuses this.
        status, body = api_post(
            server.port, seed["other_token"], seed["thread"], "One too many.", conn=there
        )
        assert status == 429, body
        assert body["error"] == "rate_limited"
    finally:
        here.close()
        there.close()


def test_streams_per_address_are_capped_across_workers(server, open_streams):
    _, server, seed = server
    [[a_first, a_second], [b_first, spare]] = server.connections_on_each_worker(2)
    spare.close()
    stream_on(server, a_first, seed["thread"], open_streams).until("count")
    stream_on(server, b_first, seed["thread"], open_streams).until("count")
    # Worker A holds one stream from this address: only the count both
    # workers share says the cap of PER_IP is reached.
    refused = stream_on(server, a_second, seed["thread"], open_streams)
    assert refused.status == 429
