"""Scale-out: two app instances on two ports, one database, one Redis.

The database is one SQLite file both open (or, with DATABASE_URL, one
PostgreSQL database); REDIS_URL carries the cache, the rate limits and the
live broker, so the instances hold no state of their own.
"""

from __future__ import annotations

import pytest

from testkit.servers import SEED, Server, api_post, server_env, shell_json
from testkit.streams import Stream, open_once_a_slot_is_free

STREAMS_PER_IP = 3


@pytest.fixture(scope="module")
def instances(tmp_path_factory, redis_url):
    data_dir = tmp_path_factory.mktemp("two-instances")
    with server_env(
        data_dir,
        REDIS_URL=redis_url,
        # An hour's window: a minute's could turn over between the posts.
        SOUNDOFF_COMMENT_RATE="1/3600",
        SOUNDOFF_LIVE_STREAMS_PER_IP=str(STREAMS_PER_IP),
    ) as env:
        seed = shell_json(env, SEED)
        first = Server(env, data_dir / "first.log").start()
        second = Server(env, data_dir / "second.log")
        try:
            second.start()
            yield first, second, seed
        finally:
            second.stop()
            first.stop()


def test_comment_posted_to_one_instance_arrives_on_a_stream_held_on_the_other(
    instances, open_streams
):
    first, second, seed = instances
    assert first.port != second.port
    stream = Stream(second.port, f"/live/threads/{seed['thread']}/").open()
    open_streams.append(stream)
    assert stream.status == 200
    stream.until("count")

    status, body = api_post(first.port, seed["token"], seed["thread"], "Posted to the first.")
    assert status == 201, body

    comment = stream.until("comment").json()
    assert comment["id"] == body["id"]
    assert "Posted to the first." in comment["html"]
    assert stream.until("count").json()["count"] >= 1


def test_rate_limit_hit_on_one_instance_holds_on_the_other(instances):
    first, second, seed = instances
    status, body = api_post(first.port, seed["other_token"], seed["thread"], "One an hour.")
    assert status == 201, body
    status, body = api_post(second.port, seed["other_token"], seed["thread"], "And another.")
    assert status == 429, body
    assert body["error"] == "rate_limited"


def test_stream_cap_counts_the_streams_held_on_both_instances(instances, open_streams):
    first, second, seed = instances
    path = f"/live/threads/{seed['thread']}/"
    for port in (first.port, second.port, first.port):
        open_streams.append(open_once_a_slot_is_free(port, path))
    refused = Stream(second.port, path).open()
    open_streams.append(refused)
    assert refused.status == 429
    also_refused = Stream(first.port, path).open()
    open_streams.append(also_refused)
    assert also_refused.status == 429

    open_streams.pop(0).close()
    open_streams.append(open_once_a_slot_is_free(second.port, path))
