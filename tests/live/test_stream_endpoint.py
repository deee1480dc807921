"""GET /live/threads/<id>/ through a real server (granian, soundoff.asgi).

Comments are posted from ``manage.py shell``, a process that serves no
streams (as the task worker), so without Redis they travel the journal and
with REDIS_URL through Redis.
"""

from __future__ import annotations

import re

import pytest

from testkit.servers import post_from_shell, ready_to_post, request, seeded_server
from testkit.streams import Stream, open_once_a_slot_is_free

HEARTBEAT = 1
# Long enough for a stream to outlive posting a comment from a
# ``manage.py shell`` started before it opened (ready_to_post: starting one
# takes 3.5 s on a loaded 2-core machine, and at 4 s, with the shell started
# after the stream, the streams of three tests ended before their comment came).
MAX_AGE = 10
PER_IP = 3


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("live-stream")
    with seeded_server(
        data_dir,
        SOUNDOFF_LIVE_HEARTBEAT=str(HEARTBEAT),
        SOUNDOFF_LIVE_MAX_AGE=str(MAX_AGE),
        SOUNDOFF_LIVE_STREAMS_PER_IP=str(PER_IP),
        SOUNDOFF_LIVE_RETRY="1",
        SOUNDOFF_EMBED_ORIGINS="http://allowed.example",
        SOUNDOFF_COMMENT_RATE="1000/60",
        SOUNDOFF_IP_COMMENT_RATE="1000/60",
    ) as (server, seed):
        yield server.env, server, seed


def stream(world, open_streams, *, headers=None, thread=None, query="") -> Stream:
    _, server, seed = world
    path = f"/live/threads/{thread or seed['thread']}/{query}"
    opened = Stream(server.port, path, headers or {}).open()
    open_streams.append(opened)
    return opened


def test_stream_opens_with_retry_and_count_then_heartbeats(world, open_streams):
    s = stream(world, open_streams)
    assert s.status == 200
    assert s.response_headers["content-type"].startswith("text/event-stream")
    assert s.response_headers["cache-control"] == "no-store"
    first = s.next()
    assert first is not None and first.retry == 1000
    count = s.until("count")
    assert count.json()["text"].startswith("soundoff (")
    # Any wait up to the stream's end: a loaded machine may be late, not wrong.
    beat = s.next(timeout=MAX_AGE)
    assert beat is not None and beat.comment == "heartbeat"


def test_new_comment_arrives_rendered_by_the_page_partial_without_personal_data(
    world, open_streams
):
    env, _, seed = world
    with ready_to_post(env, seed["thread"], "Is the water *safe*?", email=seed["reader"]) as post:
        s = stream(world, open_streams)
        s.until("count")
        posted = post()

    comment = s.until("comment").json()
    assert comment["id"] == posted["id"]
    assert comment["change"] == "created"
    assert f'id="comment-{posted["id"]}"' in comment["html"]
    assert "<em>safe</em>" in comment["html"]
    assert "Alice Reader" in comment["html"]
    assert "alice@example.com" not in comment["html"]
    assert "192.0.2.10" not in str(comment)
    assert "/edit/" not in comment["html"] and "/delete/" not in comment["html"]
    count = s.until("count")
    assert count.id is not None
    assert count.json()["version"] == comment["version"]


def test_reply_names_its_parent(world, open_streams):
    env, _, seed = world
    parent = post_from_shell(env, seed["thread"], "Where is the break?", email=seed["reader"])
    with ready_to_post(
        env, seed["thread"], "On Main Street.", email=seed["reader"], parent=parent["id"]
    ) as post:
        s = stream(world, open_streams)
        s.until("count")
        reply = post()
    comment = s.until("comment").json()
    assert (comment["id"], comment["parent"]) == (reply["id"], parent["id"])


def test_reconnect_with_last_event_id_catches_up_on_what_was_missed(world, open_streams):
    env, _, seed = world
    with ready_to_post(env, seed["thread"], "Seen live.", email=seed["reader"]) as post:
        first = stream(world, open_streams)
        first.until("count")
        seen = post()
    assert first.until("comment").json()["id"] == seen["id"]
    last_id = first.until("count").id
    first.close()

    missed = [
        post_from_shell(env, seed["thread"], f"Missed {n}.", email=seed["reader"])["id"]
        for n in (1, 2)
    ]
    again = stream(world, open_streams, headers={"Last-Event-ID": last_id})
    replayed = []
    while True:
        event = again.until("count") if len(replayed) == len(missed) else again.until("comment")
        if event.name == "count":
            break
        replayed.append(event.json()["id"])
    assert replayed == missed


def test_forged_last_event_id_is_told_the_stream_is_stale(world, open_streams):
    s = stream(world, open_streams, headers={"Last-Event-ID": "forged.999999"})
    s.until("stale")
    s.until("count")


def test_stream_ends_at_its_maximum_age(world, open_streams):
    # The server ends the stream itself, after heartbeats (one a second) for
    # nine tenths of MAX_AGE or more. Counted in heartbeats, not timed: a
    # stream that never ends fails after three times as many as it may send.
    s = stream(world, open_streams)
    heartbeats = 0
    for _read in range(3 * MAX_AGE // HEARTBEAT):
        event = s.next(timeout=MAX_AGE)
        if event is None:
            break
        heartbeats += event.comment == "heartbeat"
    else:
        raise AssertionError(f"the stream was still open after {heartbeats} heartbeats")
    assert heartbeats >= 1, "the stream ended before its first heartbeat"


def test_open_streams_per_address_are_capped(world, open_streams):
    held = [stream(world, open_streams) for _ in range(PER_IP)]
    assert [s.status for s in held] == [200] * PER_IP
    refused = stream(world, open_streams)
    assert refused.status == 429
    assert refused.response_headers["retry-after"] == "1"

    held[0].close()
    _, server, seed = world
    open_streams.append(open_once_a_slot_is_free(server.port, f"/live/threads/{seed['thread']}/"))


def test_origin_not_allowed_gets_no_stream_and_no_cors(world, open_streams):
    s = stream(world, open_streams, headers={"Origin": "http://evil.example"})
    assert s.status == 403
    assert "access-control-allow-origin" not in s.response_headers


def test_allowed_embedding_origin_gets_cors(world, open_streams):
    s = stream(world, open_streams, headers={"Origin": "http://allowed.example"})
    assert s.status == 200
    assert s.response_headers["access-control-allow-origin"] == "http://allowed.example"


def test_same_origin_needs_no_cors(world, open_streams):
    _, server, _ = world
    s = stream(world, open_streams, headers={"Origin": server.url})
    assert s.status == 200
    assert "access-control-allow-origin" not in s.response_headers


def test_unknown_and_unpublished_threads_are_not_found(world, open_streams):
    _, _, seed = world
    assert stream(world, open_streams, thread=999_999).status == 404
    assert stream(world, open_streams, thread=seed["draft_thread"]).status == 404


def test_pages_are_served_beside_the_streams(world):
    _, server, seed = world
    status, headers, body = request(server.port, "GET", f"/posts/{seed['slug']}/")
    assert status == 200
    assert f'data-live-url="/live/threads/{seed["thread"]}/?version='.encode() in body
    assert headers["content-security-policy"]


def _comment_event(opened: Stream, comment_id: int) -> dict:
    while True:
        event = opened.until("comment").json()
        if event["id"] == comment_id:
            return event


def test_each_reader_gets_the_update_in_their_language(world, open_streams):
    env, _, seed = world
    posted = post_from_shell(env, seed["thread"], "¿Se puede beber el agua?", email=seed["reader"])
    # Pages that showed version 0 catch up on it, each in the language it asks for.
    spanish = stream(
        world, open_streams, headers={"Accept-Language": "es-ES,es"}, query="?version=0"
    )
    english = stream(world, open_streams, headers={"Accept-Language": "en"}, query="?version=0")
    spanish_html = _comment_event(spanish, posted["id"])["html"]
    english_html = _comment_event(english, posted["id"])["html"]
    assert "¿Se puede beber el agua?" in spanish_html
    assert "¿Se puede beber el agua?" in english_html
    assert re.search(r"<time [^>]*>\d{1,2} de \w+ de \d{4} \d\d:\d\d ET</time>", spanish_html)
    assert re.search(r"<time [^>]*>\w+ \d{1,2}\w\w, \d{4} \d\d:\d\d [AP]M ET</time>", english_html)
    spanish_count = spanish.until("count").json()["text"]
    english_count = english.until("count").json()["text"]
    assert re.fullmatch(r"soundoff \((Una respuesta|\d+ respuestas)\)", spanish_count)
    assert re.fullmatch(r"soundoff \((One Response|\d+ Responses)\)", english_count)
