"""GET /live/threads/<id>/: a thread's live updates as Server-Sent Events.

A pure ASGI endpoint (see soundoff.live.gateway for how it shares the
public origin with the WSGI pages). One stream costs a task, a bounded
queue and its socket; it touches the database once, when it opens.

The stream:
- starts with ``retry:`` (how long the browser waits to reconnect), what
  the reader missed (after ``Last-Event-ID`` on a reconnect, or after the
  ``version`` of the page on the first connection) and the current count;
- sends ``comment`` and ``count`` events as they happen (the ``id`` is on
  the ``count`` event, the last of each pair, so a reconnect in between
  replays both), a comment line every SOUNDOFF_LIVE_HEARTBEAT seconds, and
  ``stale`` when what was missed can no longer be replayed;
- ends after SOUNDOFF_LIVE_MAX_AGE seconds (less up to a tenth, so that
  streams opened together don't reconnect together); the browser comes
  back with Last-Event-ID and catches up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host

from soundoff.discussion.models import Thread
from soundoff.lib.client import client_ip

from .broker import CLOSE, HEARTBEAT, Broker, Replay, Subscriber, get_broker
from .events import Delivery, count_text

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

PATH = re.compile(r"/live/threads/(?P<thread>[0-9]{1,18})/")
SSE_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    # Tells nginx-style proxies not to buffer the stream.
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]


@dataclass(frozen=True)
class ThreadState:
    version: int
    count: int


def load_thread(thread_id: int) -> ThreadState | None:
    """The thread's version and count, if readers may see it."""
    try:
        thread = Thread.objects.select_related("post").filter(pk=thread_id).first()
        if thread is None or (thread.post is not None and not thread.post.is_published):
            return None
        return ThreadState(version=thread.version, count=thread.comment_count)
    finally:
        connection.close()


def origin_allowed(origin: str) -> bool:
    from soundoff.embed.origins import is_allowed

    try:
        return is_allowed(origin)
    finally:
        connection.close()


def message(event: str, data: dict[str, Any], *, event_id: str | None = None) -> bytes:
    lines = [f"event: {event}", f"data: {json.dumps(data, separators=(',', ':'))}"]
    if event_id is not None:
        lines.insert(0, f"id: {event_id}")
    return ("\n".join(lines) + "\n\n").encode()


def delivery_messages(broker: Broker, delivery: Delivery) -> bytes:
    event = delivery.event
    out = b""
    if event["comment"] is not None:
        out += message("comment", {**event["comment"], "version": event["version"]})
    count = {"count": event["count"], "text": event["count_text"], "version": event["version"]}
    return out + message("count", count, event_id=broker.event_id(delivery.seq))


async def respond(
    send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def _headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }


def _client_ip(scope: Scope, headers: dict[str, str]) -> str:
    # The same rules as pages (SOUNDOFF_TRUSTED_PROXY_HOPS), so a reader
    # can't dodge the cap with a made-up X-Forwarded-For.
    request = HttpRequest()
    request.META = {
        "REMOTE_ADDR": (scope.get("client") or ("", 0))[0],
        "HTTP_X_FORWARDED_FOR": headers.get("x-forwarded-for", ""),
    }
    return client_ip(request) or "unknown"


def _same_origin(origin: str, host: str) -> bool:
    # Hosts compared without the scheme: behind a TLS proxy this server
    # sees http while the page's origin says https.
    return urlsplit(origin).netloc.lower() == host.lower()


async def serve(scope: Scope, receive: Receive, send: Send) -> None:
    match = PATH.fullmatch(scope["path"])
    if match is None:
        await respond(send, 404, "Not found.")
        return
    headers = _headers(scope)
    host = headers.get("host", "")
    if not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        await respond(send, 400, "Bad Host header.")
        return
    loop = asyncio.get_running_loop()
    cors: list[tuple[bytes, bytes]] = []
    origin = headers.get("origin")
    if origin and not _same_origin(origin, host):
        if not await loop.run_in_executor(None, origin_allowed, origin):
            await respond(send, 403, "This site may not show these live updates.")
            return
        cors = [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
    if scope["method"] == "OPTIONS":
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [
                    *cors,
                    (b"access-control-allow-methods", b"GET"),
                    (b"access-control-allow-headers", b"Last-Event-ID, Cache-Control"),
                    (b"access-control-max-age", b"86400"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return
    if scope["method"] != "GET":
        await respond(send, 405, "Use GET.", [(b"allow", b"GET")])
        return

    thread_id = int(match["thread"])
    state = await loop.run_in_executor(None, load_thread, thread_id)
    if state is None:
        await respond(send, 404, "No such discussion.", cors)
        return
    broker = get_broker()
    ip = _client_ip(scope, headers)
    retry_after = str(settings.SOUNDOFF_LIVE_RETRY).encode()
    try:
        await broker.start()
        token = await broker.slots.acquire(ip)
    except Exception:
        logger.exception("Live updates are unavailable.")
        await respond(
            send, 503, "Live updates are unavailable.", [*cors, (b"retry-after", retry_after)]
        )
        return
    if token is None:
        await respond(
            send,
            429,
            "Too many live streams from your address; close some pages.",
            [*cors, (b"retry-after", retry_after)],
        )
        return
    try:
        await _stream(scope, receive, send, broker, thread_id, state, headers, cors)
    finally:
        with contextlib.suppress(Exception):
            await broker.slots.release(ip, token)


def _query(scope: Scope, name: str) -> str:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0][:100] if values else ""


def _page_version(scope: Scope) -> int | None:
    raw = _query(scope, "version")
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


async def _stream(
    scope: Scope,
    receive: Receive,
    send: Send,
    broker: Broker,
    thread_id: int,
    state: ThreadState,
    headers: dict[str, str],
    cors: list[tuple[bytes, bytes]],
) -> None:
    # Subscribe before reading what was missed, so nothing falls between
    # the two; deliveries already replayed are skipped by number.
    subscriber = broker.subscribe(thread_id)
    subscriber.task = asyncio.current_task()
    watcher = asyncio.get_running_loop().create_task(_watch_disconnect(receive, subscriber))
    try:
        # The header on the browser's own reconnects; ``last`` when the
        # page's script opens a new stream after one was refused.
        last_event_id = headers.get("last-event-id") or _query(scope, "last") or None
        try:
            replay = await broker.replay(
                thread_id, last_event_id=last_event_id, version=_page_version(scope)
            )
        except Exception:
            logger.exception("Could not read what a live stream missed.")
            replay = Replay(complete=False)
        await send(
            {"type": "http.response.start", "status": 200, "headers": [*SSE_HEADERS, *cors]}
        )
        retry_ms = settings.SOUNDOFF_LIVE_RETRY * 1000
        opening = f"retry: {retry_ms}\n\n".encode()
        if not replay.complete:
            opening += message("stale", {})
        sent = 0
        for delivery in replay.deliveries:
            opening += delivery_messages(broker, delivery)
            sent = delivery.seq
        current = {"count": state.count, "text": count_text(state.count), "version": state.version}
        opening += message("count", current)
        await send({"type": "http.response.body", "body": opening, "more_body": True})
        await _pump(send, broker, subscriber, sent)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # The reader went away mid-send.
    except asyncio.CancelledError:
        if not subscriber.dropped:
            raise
        # Dropped for falling behind: end this response, nothing else.
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
    finally:
        broker.unsubscribe(subscriber)
        subscriber.close()
        watcher.cancel()


async def _pump(send: Send, broker: Broker, subscriber: Subscriber, sent: int) -> None:
    max_age = settings.SOUNDOFF_LIVE_MAX_AGE
    deadline = time.monotonic() + max_age * random.uniform(0.9, 1.0)  # noqa: S311 - jitter
    while True:
        item = await subscriber.next()
        if item == CLOSE:
            return
        if item == HEARTBEAT:
            if time.monotonic() >= deadline:
                return
            await send(
                {"type": "http.response.body", "body": b": heartbeat\n\n", "more_body": True}
            )
            continue
        assert isinstance(item, Delivery)
        if item.seq <= sent:
            continue
        sent = item.seq
        await send(
            {
                "type": "http.response.body",
                "body": delivery_messages(broker, item),
                "more_body": True,
            }
        )


async def _watch_disconnect(receive: Receive, subscriber: Subscriber) -> None:
    """End the stream as soon as the reader leaves, freeing its slot."""
    while True:
        event = await receive()
        if event["type"] == "http.disconnect":
            subscriber.close()
            return
