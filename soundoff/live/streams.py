"""GET /live/threads/<id>/: a thread's live updates as Server-Sent Events.

Served by the streams' own process (soundoff.live.server, as bin/run
runs it: ~1.5 KiB per open stream, which the broker writes to directly
once it is open) or, on the pages' port, behind the gateway
(soundoff.live.gateway: the server's task for its request, a bounded queue
and its socket, ~21 KiB, ~18 KiB of it granian's; bench/live_memory). The
checks and the opening below are the same for both. A stream touches the
database when it opens:
the thread (shared by the streams that open within a second) and, when what
it replays carries comments' text, whether those comments are visible now.

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
import functools
import json
import logging
import random
import re
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from django.utils import translation

from soundoff.discussion.counts import soundoff_count
from soundoff.lib.client import client_ip
from soundoff.lib.languages import reader_language

from .broker import CLOSE, HEARTBEAT, Broker, Replay, Subscriber, get_broker
from .events import Delivery, in_language, text_carried, without_text_of
from .lookups import READS, ThreadState, hidden_now, load_thread, origin_allowed

logger = logging.getLogger(__name__)

Headers = list[tuple[str, str]]


class Exchange(Protocol):
    """One request and its response, whichever interface the server speaks
    (the gateway adapts ASGI and granian's RSGI to this)."""

    method: str
    path: str
    query_string: str
    # Names in lower case. Read them before start_stream(): the adapters
    # let them go once a stream has started (a browser's cookies and the
    # rest, ~1 KB, held by each of thousands of open streams otherwise).
    headers: dict[str, str]
    peer: str  # the address the connection comes from
    started: bool  # whether a response has begun

    async def respond(self, status: int, headers: Headers, body: bytes) -> None: ...

    async def start_stream(self, status: int, headers: Headers) -> None: ...

    async def write(self, data: bytes) -> None: ...

    async def end_stream(self) -> None: ...

    def on_disconnect(self, callback: Callable[[object], None]) -> Callable[[], None]:
        """Call ``callback`` (with what told, e.g. a future) on the loop once
        the client has gone away; returns what stops watching."""


PATH = re.compile(r"/live/threads/(?P<thread>[0-9]{1,18})/")
SSE_HEADERS = [
    ("content-type", "text/event-stream; charset=utf-8"),
    ("cache-control", "no-store"),
    # Tells nginx-style proxies not to buffer the stream.
    ("x-accel-buffering", "no"),
    ("x-content-type-options", "nosniff"),
]


# Streams reconnect together (a restart, a spike of readers on one story):
# each thread is looked up once a second however many of its readers
# connect, and concurrent lookups share one query.
THREAD_LOOKUP_TTL = 1.0
_looked_up: dict[int, tuple[float, ThreadState | None]] = {}
_looking_up: dict[int, asyncio.Future[ThreadState | None]] = {}


async def thread_state(thread_id: int) -> ThreadState | None:
    now = time.monotonic()
    cached = _looked_up.get(thread_id)
    if cached is not None and now - cached[0] < THREAD_LOOKUP_TTL:
        return cached[1]
    pending = _looking_up.get(thread_id)
    if pending is not None:
        return await asyncio.shield(pending)
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(READS, load_thread, thread_id)
    _looking_up[thread_id] = future
    try:
        state = await asyncio.shield(future)
    finally:
        _looking_up.pop(thread_id, None)
    if len(_looked_up) > 10_000:
        _looked_up.clear()
    _looked_up[thread_id] = (time.monotonic(), state)
    return state


# When readers of a story reconnect together, their replays ask about the
# same comments. A check asked for while an identical one still waits for
# a thread joins it: that one starts after it was asked, so its answer is
# as fresh as a check of its own. Once started, it takes no one else.
_checks_lock = threading.Lock()
_checks_waiting: dict[frozenset[int], asyncio.Future[set[int]]] = {}


def _start_check(comment_ids: frozenset[int]) -> set[int]:
    with _checks_lock:
        _checks_waiting.pop(comment_ids, None)
    return hidden_now(comment_ids)


async def hidden_now_shared(comment_ids: frozenset[int]) -> set[int]:
    loop = asyncio.get_running_loop()
    with _checks_lock:
        check = _checks_waiting.get(comment_ids)
        if check is None:
            check = loop.run_in_executor(READS, _start_check, comment_ids)
            _checks_waiting[comment_ids] = check
    return await asyncio.shield(check)


async def only_visible_text(replay: Replay) -> Replay:
    """``replay`` less the text of any comment not visible now.

    The broker replays the events as they were published, and a comment's
    later state reaches it only after the change commits and its event is
    rendered (in another thread or process, which may die before it
    publishes): until then the replay still holds the text the comment was
    posted with. So the comments whose text would go out are looked up, in
    one query (shared by streams that ask together), and the text of those
    since held, removed or deleted stays out; their own event follows on
    the stream when it is published.
    """
    shown = frozenset(c for d in replay.deliveries if (c := text_carried(d.event)) is not None)
    if not shown:
        return replay
    hidden = await hidden_now_shared(shown)
    if not hidden:
        return replay
    return Replay(without_text_of(replay.deliveries, hidden), complete=replay.complete)


def message(event: str, data: dict[str, Any], *, event_id: str | None = None) -> bytes:
    lines = [f"event: {event}", f"data: {json.dumps(data, separators=(',', ':'))}"]
    if event_id is not None:
        lines.insert(0, f"id: {event_id}")
    return ("\n".join(lines) + "\n\n").encode()


def delivery_messages(broker: Broker, language: str, delivery: Delivery) -> bytes:
    """The SSE messages of a delivery in ``language``, encoded by the first
    stream in that language that sends it and reused by the thousands after it."""
    wire = delivery.wires.get(language)
    if wire is not None:
        return wire
    event = delivery.event
    out = b""
    if event["comment"] is not None:
        html = in_language(event["comment"]["html"], language)
        out += message("comment", {**event["comment"], "html": html, "version": event["version"]})
    count = {
        "count": event["count"],
        "text": in_language(event["count_text"], language),
        "version": event["version"],
    }
    wire = out + message("count", count, event_id=broker.event_id(delivery.seq))
    delivery.wires[language] = wire
    return wire


def stream_language(exchange: Exchange) -> str:
    """The reader's language, chosen as for pages."""
    return reader_language(exchange.headers.get("accept-language", ""))


async def respond_text(
    exchange: Exchange, status: int, text: str, headers: Headers | None = None
) -> None:
    await exchange.respond(
        status, [("content-type", "text/plain; charset=utf-8"), *(headers or [])], text.encode()
    )


def _client_ip(exchange: Exchange) -> str:
    # The same rules as pages (SOUNDOFF_TRUSTED_PROXY_HOPS), so a reader
    # can't dodge the cap with a made-up X-Forwarded-For.
    request = HttpRequest()
    request.META = {
        "REMOTE_ADDR": exchange.peer,
        "HTTP_X_FORWARDED_FOR": exchange.headers.get("x-forwarded-for", ""),
    }
    return client_ip(request) or "unknown"


def same_origin(origin: str, host: str) -> bool:
    # Hosts compared without the scheme: behind a TLS proxy this server
    # sees http while the page's origin says https.
    return urlsplit(origin).netloc.lower() == host.lower()


def own_pages(origin: str, host: str) -> bool:
    """Whether ``origin`` is this site's pages on another port of the same
    host: streams served on a port of their own (soundoff/live/server.py)
    are opened by the pages' origin, a cross-origin request."""
    hostname = urlsplit(origin).hostname or ""
    return hostname == split_domain_port(host)[0].strip("[]")


def cross_origin_headers(origin: str | None, host: str) -> Headers | None:
    """The CORS headers a stream's answer carries for ``origin``: none on
    the page's own origin, None when ``origin`` may not have it (neither
    this site's pages on another port nor an allowed embedding site)."""
    if not origin or same_origin(origin, host):
        return []
    if not own_pages(origin, host) and not origin_allowed(origin):
        return None
    return [("access-control-allow-origin", origin), ("vary", "Origin")]


async def serve(
    exchange: Exchange, endpoint: Callable[[Exchange], Awaitable[None]] | None = None
) -> None:
    """Answer one request for a stream (a thread's, or ``endpoint``'s);
    never leave the reader without an answer (a failure before the stream
    starts is a 503 they retry)."""
    try:
        await (endpoint or _serve)(exchange)
    except Exception:
        logger.exception("A live stream failed.")
        if not exchange.started:
            retry_after = ("retry-after", str(settings.SOUNDOFF_LIVE_RETRY))
            await respond_text(exchange, 503, "Live updates are unavailable.", [retry_after])


@dataclass(frozen=True, slots=True)
class Admission:
    """A stream let in: its thread, as it was, the CORS headers its answer
    carries, and the slot it holds for its address until it ends."""

    thread_id: int
    state: ThreadState
    cors: Headers
    ip: str
    token: str


async def admit(exchange: Exchange) -> Admission | None:
    """Check a request for a thread's stream and take its slot; answer it
    (and return None) when it may not have one."""
    match = PATH.fullmatch(exchange.path)
    if match is None:
        await respond_text(exchange, 404, "Not found.")
        return None
    host = exchange.headers.get("host", "")
    if not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        await respond_text(exchange, 400, "Bad Host header.")
        return None
    loop = asyncio.get_running_loop()
    origin = exchange.headers.get("origin")
    cors = await loop.run_in_executor(READS, cross_origin_headers, origin, host)
    if cors is None:
        await respond_text(exchange, 403, "This site may not show these live updates.")
        return None
    if exchange.method == "OPTIONS":
        preflight = [
            ("access-control-allow-methods", "GET"),
            ("access-control-allow-headers", "Last-Event-ID, Cache-Control"),
            ("access-control-max-age", "86400"),
        ]
        await exchange.respond(204, [*cors, *preflight], b"")
        return None
    if exchange.method != "GET":
        await respond_text(exchange, 405, "Use GET.", [("allow", "GET")])
        return None

    thread_id = int(match["thread"])
    state = await thread_state(thread_id)
    if state is None:
        await respond_text(exchange, 404, "No such discussion.", cors)
        return None
    broker = get_broker()
    ip = _client_ip(exchange)
    retry_after = ("retry-after", str(settings.SOUNDOFF_LIVE_RETRY))
    try:
        await broker.start()
        token = await broker.slots.acquire(ip)
    except Exception:
        logger.exception("Live updates are unavailable.")
        await respond_text(exchange, 503, "Live updates are unavailable.", [*cors, retry_after])
        return None
    if token is None:
        await respond_text(
            exchange,
            429,
            "Too many live streams from your address; close some pages.",
            [*cors, retry_after],
        )
        return None
    return Admission(thread_id, state, cors, ip, token)


async def release(admission: Admission) -> None:
    """Give back the stream's slot for its address."""
    try:
        await get_broker().slots.release(admission.ip, admission.token)
    except Exception:
        logger.warning("Could not release a live stream slot; it expires by itself.")


async def _serve(exchange: Exchange) -> None:
    admission = await admit(exchange)
    if admission is None:
        return
    try:
        await _stream(exchange, get_broker(), admission.thread_id, admission.state, admission.cors)
    finally:
        await release(admission)


def _query(exchange: Exchange, name: str) -> str:
    values = parse_qs(exchange.query_string).get(name)
    return values[0][:100] if values else ""


def _page_version(exchange: Exchange) -> int | None:
    raw = _query(exchange, "version")
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


class Subscription:
    """``async with Subscription(exchange, broker, thread_id) as subscriber``:
    the running task, one stream's response, subscribed for its life.

    The stream ends as soon as its client leaves, freeing its slot, and
    quietly when the client went away mid-write (OSError) or the broker
    dropped it for falling behind (its cancellation is taken back: this
    response ends, nothing else). Any other cancellation goes on.

    A class with slots rather than an asynccontextmanager: thousands are
    open at once, and a generator-based one holds a suspended generator,
    its wrapper and the loop's async-generator entry (~0.5 KB) per stream.
    """

    __slots__ = ("broker", "exchange", "stop_watching", "subscriber", "thread_id")

    def __init__(self, exchange: Exchange, broker: Broker, thread_id: int) -> None:
        self.exchange = exchange
        self.broker = broker
        self.thread_id = thread_id

    async def __aenter__(self) -> Subscriber:
        self.subscriber = subscriber = self.broker.subscribe(self.thread_id)
        subscriber.task = asyncio.current_task()
        self.stop_watching = self.exchange.on_disconnect(subscriber.client_left)
        return subscriber

    async def __aexit__(self, kind: object, error: BaseException | None, trace: object) -> bool:
        subscriber = self.subscriber
        self.broker.unsubscribe(subscriber)
        subscriber.close()
        self.stop_watching()
        if isinstance(error, OSError):
            return True
        if isinstance(error, asyncio.CancelledError) and subscriber.dropped:
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            return True
        return False


async def pump(
    exchange: Exchange,
    subscriber: Subscriber,
    render: Callable[[Delivery], bytes],
    sent: int = 0,
) -> None:
    """Write what the broker hands ``subscriber`` after number ``sent``, as
    ``render`` encodes it, and the heartbeats, until the broker closes it
    or the stream is SOUNDOFF_LIVE_MAX_AGE old (less a random tenth, so
    streams opened together end apart). One coroutine, not an async
    generator, for the same reason as Subscription."""
    max_age = settings.SOUNDOFF_LIVE_MAX_AGE
    deadline = time.monotonic() + max_age * random.uniform(0.9, 1.0)  # noqa: S311 - jitter
    while True:
        item = await subscriber.next()
        if item == CLOSE:
            return
        if item == HEARTBEAT:
            if time.monotonic() >= deadline:
                return
            await exchange.write(b": heartbeat\n\n")
            continue
        assert isinstance(item, Delivery)
        if item.seq <= sent:
            continue
        sent = item.seq
        data = render(item)
        if data:
            await exchange.write(data)


@functools.lru_cache(maxsize=4096)
def opening_count_text(language: str, count: int) -> str:
    """The count text a stream opens with, rendered once per language and
    count for every stream: rendering it in a stream's own task would leave
    a translation context in that task for the stream's life (~0.4 KB)."""
    with translation.override(language):
        return soundoff_count(count)


async def _stream(
    exchange: Exchange, broker: Broker, thread_id: int, state: ThreadState, cors: Headers
) -> None:
    language = stream_language(exchange)
    # Subscribed before reading what was missed, so nothing falls between
    # the two; deliveries already replayed are skipped by number.
    async with Subscription(exchange, broker, thread_id) as subscriber:
        sent = await open_stream(exchange, broker, thread_id, language, state, cors)
        # Positional: a partial with keywords keeps a dict of them too.
        render = functools.partial(delivery_messages, broker, language)
        await pump(exchange, subscriber, render, sent)
        await exchange.end_stream()


async def open_stream(
    exchange: Exchange,
    broker: Broker,
    thread_id: int,
    language: str,
    state: ThreadState,
    cors: Headers,
) -> int:
    """Start the response with what the reader missed and the current
    count; return the number of the last delivery sent. A coroutine of its
    own so that what it builds is freed once sent: the opening can carry
    many comments' HTML (a reconnect after a busy minute), which a local of
    the stream's frame would hold for the stream's life."""
    # The header on the browser's own reconnects; ``last`` when the
    # page's script opens a new stream after one was refused.
    last_event_id = exchange.headers.get("last-event-id") or _query(exchange, "last") or None
    try:
        replay = await only_visible_text(
            await broker.replay(
                thread_id, last_event_id=last_event_id, version=_page_version(exchange)
            )
        )
    except Exception:
        logger.exception("Could not read what a live stream missed.")
        replay = Replay(complete=False)
    await exchange.start_stream(200, [*SSE_HEADERS, *cors])
    opening = f"retry: {settings.SOUNDOFF_LIVE_RETRY * 1000}\n\n".encode()
    if not replay.complete:
        opening += message("stale", {})
    sent = 0
    for delivery in replay.deliveries:
        opening += delivery_messages(broker, language, delivery)
        sent = delivery.seq
    text = opening_count_text(language, state.count)
    opening += message("count", {"count": state.count, "text": text, "version": state.version})
    await exchange.write(opening)
    return sent
