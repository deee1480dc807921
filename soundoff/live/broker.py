"""Fan-out of live events to the streams open on this process.

Two brokers share one shape:

- ``LocalBroker`` (the default): every process of this machine (each web
  worker, the task worker, management commands) journals its events in a
  SQLite file and wakes the serving workers over Unix sockets; each worker
  follows the journal and fans out to its own streams (journal.py,
  relay.py).
- ``RedisBroker`` (REDIS_URL set): every process publishes to Redis; each
  serving process listens on one channel and fans out to its own streams,
  so a comment posted to one instance reaches streams held on another.

Each event of a thread gets the next number of that thread's sequence,
assigned at publication under a lock (the journal's write lock, a Lua
script in Redis), so the order readers receive events in is the order of
the numbers, on every worker. The stream's event id is "<epoch>.<seq>"; the
epoch changes when the numbering restarts (the journal was deleted, Redis
was emptied), so an id from before tells the stream that what was missed
can't be replayed.

Subscribers have bounded queues: a reader who does not keep up is dropped
(their browser reconnects and catches up) rather than buffered without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import relay
from .events import Delivery, LiveEvent
from .journal import Journal
from .limits import LocalStreamSlots, SharedStreamSlots, StreamSlots

logger = logging.getLogger(__name__)

HEARTBEAT: Final = "heartbeat"
CLOSE: Final = "close"
# Seconds between two looks at the journal when no wake-up came.
FOLLOW_INTERVAL: Final = 1.0
# Threads whose decoded history a local broker keeps for replays.
LOCAL_HISTORIES_KEPT: Final = 1000

Item = Delivery | str


class Subscriber:
    """One open stream's view of a thread: a bounded queue of deliveries,
    heartbeats and, last, CLOSE.

    A list and at most one waiting future, not an asyncio.Queue (three
    deques and an Event, ~1.5 KB) nor a deque (a 64-slot block up front,
    ~0.7 KB): thousands are open at once in a worker, nearly all of them
    empty, and each has one reader, on the loop, as does everything that
    offers. The queue is short (SOUNDOFF_LIVE_QUEUE), so taking from the
    front of a list costs nothing measurable.
    """

    __slots__ = ("_waiter", "closed", "dropped", "items", "limit", "task", "thread_id")

    def __init__(self, thread_id: int, *, queue_size: int) -> None:
        self.thread_id = thread_id
        self.limit = queue_size
        self.items: list[Item] = []
        self.dropped = False
        self.closed = False
        # The task writing this stream, cancelled if the reader falls so
        # far behind that it is stuck waiting for them to read.
        self.task: asyncio.Task[Any] | None = None
        self._waiter: asyncio.Future[Item] | None = None

    def offer(self, item: Item) -> None:
        """Queue ``item``; a full queue means the reader fell behind."""
        if self.closed:
            return
        if len(self.items) >= self.limit:
            self.dropped = True
            self.close()
            if self.task is not None:
                self.task.cancel()
            return
        self._put(item)

    def client_left(self, _signal: object) -> None:
        """The client went away (``_signal`` is what said so, e.g. the
        server's disconnect future): end the stream."""
        self.close()

    def close(self) -> None:
        """End the stream: what is queued is discarded and CLOSE is next."""
        if self.closed:
            return
        self.closed = True
        self.items.clear()
        self._put(CLOSE)

    def _put(self, item: Item) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            self._waiter = None
            waiter.set_result(item)
        else:
            self.items.append(item)

    def next(self) -> asyncio.Future[Item]:
        """The next item, as a future: done at once when one is queued, else
        when one comes. A future rather than a coroutine, so that a waiting
        stream holds no frame for it."""
        future: asyncio.Future[Item] = asyncio.get_running_loop().create_future()
        if self.items:
            future.set_result(self.items.pop(0))
        else:
            self._waiter = future
        return future


@dataclass(frozen=True)
class Replay:
    """What a reconnecting stream missed. ``complete`` is False when some of
    it is no longer known (too old, or numbered before a restart)."""

    deliveries: list[Delivery] = field(default_factory=list)
    complete: bool = True


def current_states(deliveries: list[Delivery]) -> list[Delivery]:
    """``deliveries`` with each comment's state only in the newest of them.

    A replay is read long after the events happened, by anyone who asks
    (the Last-Event-ID and the page version are the client's to choose):
    the text a comment had when it was posted must not come back after it
    was held, removed or deleted. The newest state of a comment (highest
    thread version, then number) is what a reload would show; older ones
    keep only their count. The counts still arrive in order.
    """
    newest: dict[int, tuple[int, int]] = {}
    for delivery in deliveries:
        comment = delivery.event["comment"]
        if comment is not None:
            rank = (delivery.event["version"], delivery.seq)
            newest[comment["id"]] = max(newest.get(comment["id"], rank), rank)
    return [
        delivery
        if delivery.event["comment"] is None
        or newest[delivery.event["comment"]["id"]] == (delivery.event["version"], delivery.seq)
        else Delivery(seq=delivery.seq, event={**delivery.event, "comment": None})
        for delivery in deliveries
    ]


class Broker:
    """The loop-side half (subscriptions, fan-out, heartbeats) shared by
    both brokers; ``publish`` is theirs and may be called from any thread."""

    def __init__(self) -> None:
        self.epoch = ""
        self.loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: dict[int, set[Subscriber]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._starting = asyncio.Lock()
        # Set by _connect, before any stream is served.
        self.slots: StreamSlots = StreamSlots()

    # --- life cycle (on the serving loop) ---

    async def start(self) -> None:
        """Start serving streams on the running loop (once)."""
        async with self._starting:
            if self.loop is not None:
                return
            await self._connect()
            self._spawn(self._heartbeats())
            self.loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        for subscriber in [s for group in self._subscribers.values() for s in group]:
            subscriber.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self.loop = None

    def _spawn(self, coroutine: Any) -> None:
        self._tasks.append(asyncio.get_running_loop().create_task(coroutine))

    async def _connect(self) -> None:
        """Set up the broker's own connections and tasks."""

    # --- subscriptions (on the serving loop) ---

    def subscribe(self, thread_id: int) -> Subscriber:
        subscriber = Subscriber(thread_id, queue_size=settings.SOUNDOFF_LIVE_QUEUE)
        self._subscribers.setdefault(thread_id, set()).add(subscriber)
        return subscriber

    def follow(self, listener: Any) -> None:
        """Hand ``listener`` (anything with ``thread_id``, ``offer`` and
        ``close``, as a Subscriber has) its thread's items as they come."""
        self._subscribers.setdefault(listener.thread_id, set()).add(listener)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self._subscribers.get(subscriber.thread_id)
        if group is None:
            return
        group.discard(subscriber)
        if not group:
            del self._subscribers[subscriber.thread_id]

    def subscriber_count(self) -> int:
        return sum(len(group) for group in self._subscribers.values())

    def _fan_out(self, delivery: Delivery) -> None:
        for subscriber in list(self._subscribers.get(delivery.event["thread"], ())):
            subscriber.offer(delivery)

    def _close_all(self) -> None:
        for group in list(self._subscribers.values()):
            for subscriber in list(group):
                subscriber.close()

    async def _heartbeats(self) -> None:
        """One timer for every stream: each gets a heartbeat to send (and
        to check its age by) every SOUNDOFF_LIVE_HEARTBEAT seconds."""
        while True:
            await asyncio.sleep(settings.SOUNDOFF_LIVE_HEARTBEAT)
            for group in list(self._subscribers.values()):
                for subscriber in list(group):
                    subscriber.offer(HEARTBEAT)

    # --- publication (any thread) and replay (on the serving loop) ---

    def publish(self, event: LiveEvent) -> None:
        raise NotImplementedError

    async def history(self, thread_id: int) -> tuple[list[Delivery], int]:
        """The remembered deliveries of a thread, oldest first, and the
        last number given in its sequence (0 when none)."""
        raise NotImplementedError

    def event_id(self, seq: int) -> str:
        return f"{self.epoch}.{seq}"

    async def replay(
        self, thread_id: int, *, last_event_id: str | None, version: int | None
    ) -> Replay:
        """What a stream missed: after ``last_event_id`` when the browser
        reconnects, else after the thread ``version`` its page showed."""
        if last_event_id is None and version is None:
            return Replay()
        remembered, last_seq = await self.history(thread_id)
        if last_event_id is None:
            # A fresh page: the window between rendering it and subscribing
            # is short, and version gaps are normal (a held comment bumps
            # the version but sends nothing), so no completeness claim.
            return Replay(
                current_states([d for d in remembered if d.event["version"] > (version or 0)])
            )
        seen = self.parse_event_id(last_event_id)
        if seen is None or seen > last_seq:
            # Numbered before a restart, or invented.
            return Replay(complete=False)
        missed = [d for d in remembered if d.seq > seen]
        complete = seen == last_seq or (bool(missed) and missed[0].seq == seen + 1)
        return Replay(current_states(missed), complete=complete)

    def parse_event_id(self, raw: str) -> int | None:
        epoch, _, seq = raw.strip().partition(".")
        if epoch != self.epoch or not seq.isdigit() or len(seq) > 18:
            return None
        return int(seq)


class LocalBroker(Broker):
    """Every worker of this machine, through the journal; see journal.py."""

    def __init__(self) -> None:
        super().__init__()
        self.journal = Journal()
        self._followed = 0
        self._listener: relay.Listener | None = None
        self._histories: dict[int, tuple[list[Delivery], int]] = {}

    async def _connect(self) -> None:
        self.epoch = self.journal.epoch()
        self._followed = self.journal.last_id()
        self.slots = LocalStreamSlots(self.journal)
        wake = asyncio.Event()
        self._listener = await relay.listen(wake.set)
        self._spawn(self._follow(wake))

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        await super().stop()

    def publish(self, event: LiveEvent) -> None:
        self.journal.append(event)
        relay.wake_all()

    async def _follow(self, wake: asyncio.Event) -> None:
        """Fan out what any process journals, woken by the relay (or, if a
        wake-up was lost, after FOLLOW_INTERVAL). Reads never wait for the
        journal's writers (WAL), so they run on the loop."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=FOLLOW_INTERVAL)
            wake.clear()
            try:
                for row_id, delivery in self.journal.since(self._followed):
                    self._followed = row_id
                    self._fan_out(delivery)
            except sqlite3.Error:
                logger.exception("Could not read the live journal; retrying.")

    async def history(self, thread_id: int) -> tuple[list[Delivery], int]:
        """Read from the journal once per new event of the thread, not once
        per stream: when a story's readers reconnect together, thousands of
        streams replay the same history, decoded once and encoded for the
        wire once per language (Delivery.wires)."""
        last = self.journal.last_seq(thread_id)
        known = self._histories.get(thread_id)
        if known is None or known[1] != last:
            if len(self._histories) >= LOCAL_HISTORIES_KEPT:
                self._histories.clear()
            deliveries, last = self.journal.history(thread_id)
            # Superseded states are dropped here too, once, so that the
            # copies without them are shared by every stream as well.
            known = self._histories[thread_id] = (current_states(deliveries), last)
        deliveries, last = known
        return list(deliveries), last


# Publishes an event atomically: the next number of the thread's sequence,
# the event kept in the thread's (trimmed, expiring) history, and the
# message on the channel every serving process listens to.
_PUBLISH_SCRIPT = """
local seq = redis.call('INCR', KEYS[1])
local message = '{"seq":' .. seq .. ',"event":' .. ARGV[1] .. '}'
redis.call('ZADD', KEYS[2], seq, message)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[2]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
redis.call('PUBLISH', KEYS[3], message)
return seq
"""


def _key(*parts: object) -> str:
    """A Redis name under SOUNDOFF_LIVE_PREFIX, so that two sites (or test
    runs) sharing one Redis never hear each other's threads."""
    return ":".join([settings.SOUNDOFF_LIVE_PREFIX, *map(str, parts)])


def _parse_message(raw: bytes | str) -> Delivery:
    data = json.loads(raw)
    return Delivery(seq=int(data["seq"]), event=data["event"])


class RedisBroker(Broker):
    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self.url = url
        self._sync = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._publish = self._sync.register_script(_PUBLISH_SCRIPT)
        self._async: Any = None

    async def _connect(self) -> None:
        import redis.asyncio

        self._async = redis.asyncio.Redis.from_url(
            self.url, socket_connect_timeout=2, health_check_interval=30
        )
        try:
            await self._async.set(_key("epoch"), secrets.token_hex(4), nx=True)
            epoch = await self._async.get(_key("epoch"))
        except (OSError, redis.RedisError) as error:
            raise ImproperlyConfigured(
                f"REDIS_URL is set but Redis does not answer ({error}). Start Redis, or "
                "unset REDIS_URL to serve live updates from this process alone."
            ) from error
        self.epoch = epoch.decode()
        self.slots = SharedStreamSlots(self._async)
        ready = asyncio.Event()
        self._spawn(self._listen(ready))
        await asyncio.wait_for(ready.wait(), timeout=5)

    async def stop(self) -> None:
        await super().stop()
        if self._async is not None:
            await self._async.aclose()
            self._async = None

    def publish(self, event: LiveEvent) -> None:
        thread_id = event["thread"]
        ttl = max(3 * settings.SOUNDOFF_LIVE_MAX_AGE, 600)
        self._publish(
            keys=[_key("seq", thread_id), _key("history", thread_id), _key("events")],
            args=[json.dumps(event, separators=(",", ":")), settings.SOUNDOFF_LIVE_HISTORY, ttl],
        )

    async def history(self, thread_id: int) -> tuple[list[Delivery], int]:
        async with self._async.pipeline(transaction=True) as pipe:
            pipe.zrange(_key("history", thread_id), 0, -1)
            pipe.get(_key("seq", thread_id))
            messages, last = await pipe.execute()
        return [_parse_message(m) for m in messages], int(last or 0)

    async def _listen(self, ready: asyncio.Event) -> None:
        """Fan out what any instance publishes; if Redis goes away, end
        every stream (browsers reconnect and catch up once it is back)."""
        import redis

        delay = 0.5
        while True:
            pubsub = self._async.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(_key("events"))
                ready.set()
                delay = 0.5
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._fan_out(_parse_message(message["data"]))
            except (OSError, redis.RedisError):
                logger.warning("Lost the connection to Redis; live streams will reconnect.")
                self._close_all()
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10)


_lock = threading.Lock()
_broker: Broker | None = None


def get_broker() -> Broker:
    """This process's broker: Redis when REDIS_URL is set, else local."""
    global _broker
    with _lock:
        if _broker is None:
            url = settings.REDIS_URL
            _broker = RedisBroker(url) if url else LocalBroker()
        return _broker
