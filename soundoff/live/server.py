"""The live streams' own server: /live/… on a port of their own, in one
small asyncio process beside granian's workers.

granian keeps ~16 KiB of its own state per open connection whatever its
options. Here a connection is a socket and one object with slots, and an
open thread stream has no task, coroutine or queue of its own: once its
opening is sent, the broker hands each item straight to the connection,
which writes it (bench/live_memory). It speaks just enough HTTP/1.1 for a
stream: one GET (or OPTIONS) per connection, the response chunked, the
connection closed after it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import signal
import socket
import time
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings

from . import desk, streams
from .broker import CLOSE, HEARTBEAT, Item, get_broker
from .events import Delivery
from .gateway import headers_by_name
from .streams import Admission, Headers

logger = logging.getLogger(__name__)

# A browser's request for a stream is well under this.
MAX_HEAD = 16 * 1024
# How long a refused client may go on sending before its connection closes.
REFUSED_LINGER = 5.0
# A reader this far behind (bytes the kernel would not take) is dropped:
# the browser reconnects and catches up.
BEHIND = 256 * 1024

_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    503: "Service Unavailable",
}


# The tasks of connections whose request is being answered or whose
# stream is opening; an open stream has none.
_opening: set[asyncio.Task[None]] = set()


def _head(status: int, headers: Headers, framing: str) -> bytes:
    """A response's head; ``framing`` says how its body ends (every
    connection closes after its one response, a stream's at its end)."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join([*lines, framing, "", ""])).encode("latin-1")


class Connection:
    """One client's connection: its request, then its stream."""

    __slots__ = (
        "_disconnect",
        "_drained",
        "admission",
        "closed",
        "deadline",
        "early",
        "head_timer",
        "headers",
        "loop",
        "method",
        "path",
        "peer",
        "pending",
        "query_string",
        "render",
        "sent",
        "sock",
        "started",
        "streaming",
        "thread_id",
    )

    def __init__(self, sock: socket.socket, peer: str, loop: asyncio.AbstractEventLoop) -> None:
        self.sock = sock
        self.peer = peer
        self.loop = loop
        self.pending = b""  # the request's head, then what the kernel would not take
        self.started = self.streaming = self.closed = False
        self.headers: dict[str, str] = {}
        self.method = self.path = self.query_string = ""
        self._disconnect: Callable[[object], None] | None = None
        self._drained: asyncio.Future[None] | None = None
        self.admission: Admission | None = None
        self.render: Callable[[Delivery], bytes] | None = None
        self.early: list[Item] | None = None
        self.thread_id = 0
        self.sent = 0
        self.deadline = 0.0
        self.head_timer = loop.call_later(settings.SOUNDOFF_LIVE_HEAD_SECONDS, self._head_late)
        loop.add_reader(sock.fileno(), self._readable)

    def _head_late(self) -> None:
        if not self.method:
            self._refuse(408)

    # --- reading ---

    def _readable(self) -> None:
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._lost()
        elif not self.method:
            self._read_head(data)
        # Anything after the request's head is ignored.

    def _read_head(self, data: bytes) -> None:
        self.pending += data
        end = self.pending.find(b"\r\n\r\n")
        if end > MAX_HEAD or (end < 0 and len(self.pending) > MAX_HEAD):
            self._refuse(431)
            return
        if end < 0:
            return
        head = self.pending[:end].decode("latin-1")
        self.pending = b""
        request_line, *lines = head.split("\r\n")
        parts = request_line.split(" ")
        pairs = [line.partition(":") for line in lines]
        if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or any(not p[1] for p in pairs):
            self._refuse(400)
            return
        self.method = parts[0]
        target, _, self.query_string = parts[1].partition("?")
        self.path = unquote(target)
        self.headers = headers_by_name((name.strip(), value.strip()) for name, _, value in pairs)
        self.head_timer.cancel()
        # Kept until done: the loop itself holds tasks only weakly.
        task = self.loop.create_task(self._serve())
        _opening.add(task)
        task.add_done_callback(_opening.discard)

    async def _serve(self) -> None:
        if self.path == desk.PATH:
            # Few, and moderators': on the stream endpoint's own coroutines.
            await streams.serve(self, desk.serve)
        else:
            await streams.serve(self, self._open_thread)
        if self.render is None:
            self._close()

    def _refuse(self, status: int) -> None:
        """Answer a request that can't be read. What the client still sends
        is read and dropped until it closes (or for REFUSED_LINGER seconds):
        closing with it unread would reset the connection, answer and all."""
        self.method = "-"
        self.head_timer.cancel()
        self.pending = b""
        self._send(_head(status, [], "content-length: 0\r\nconnection: close"))
        if not self.closed:
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                self._lost()
                return
            self.loop.call_later(REFUSED_LINGER, self._lost)

    # --- a thread's stream, driven by the broker ---

    async def _open_thread(self, exchange: streams.Exchange) -> None:
        admission = await streams.admit(self)
        if admission is None:
            return
        if self.closed:  # The client left while it was let in.
            await streams.release(admission)
            return
        self.admission = admission
        self.thread_id = admission.thread_id
        broker = get_broker()
        language = streams.stream_language(self)
        # Subscribed before reading what was missed; what arrives meanwhile
        # waits in ``early`` and goes out after the opening.
        self.early = []
        broker.follow(self)
        try:
            self.sent = await streams.open_stream(
                self, broker, admission.thread_id, language, admission.state, admission.cors
            )
        except OSError:
            return  # The client left while the opening went out.
        max_age = settings.SOUNDOFF_LIVE_MAX_AGE
        self.deadline = time.monotonic() + max_age * random.uniform(0.9, 1.0)  # noqa: S311
        self.render = functools.partial(streams.delivery_messages, broker, language)
        early, self.early = self.early, None
        for item in early:
            self.offer(item)

    def offer(self, item: Item) -> None:
        """The broker's next item for this stream: write it now."""
        if self.closed:
            return
        if self.render is None:
            if self.early is not None:
                self.early.append(item)
            return
        if item == HEARTBEAT:
            if time.monotonic() >= self.deadline:
                self.close()
            else:
                self._chunk(b": heartbeat\n\n")
        elif item == CLOSE:
            self.close()
        elif isinstance(item, Delivery) and item.seq > self.sent:
            self.sent = item.seq
            data = self.render(item)
            if data:
                self._chunk(data)

    def close(self) -> None:
        """End the stream (the broker's stop, or its age), with the last
        chunk if it has begun."""
        if self.streaming:
            self._send(b"0\r\n\r\n")
        self._close()

    # --- streams.Exchange, for the opening and the desk ---

    async def respond(self, status: int, headers: Headers, body: bytes) -> None:
        self.started = True
        self._send(
            _head(status, headers, f"content-length: {len(body)}\r\nconnection: close") + body
        )

    async def start_stream(self, status: int, headers: Headers) -> None:
        self.headers = {}  # read before the stream starts (see Exchange)
        self.started = self.streaming = True
        self._send(_head(status, headers, "transfer-encoding: chunked"))

    async def write(self, data: bytes) -> None:
        if self.closed:
            raise ConnectionResetError("The client went away.")
        self._chunk(data)
        if self.pending:
            self._drained = self.loop.create_future()
            await self._drained

    async def end_stream(self) -> None:
        self.close()

    def on_disconnect(self, callback: Callable[[object], None]) -> Callable[[], None]:
        self._disconnect = callback
        return self._forget_disconnect

    def _forget_disconnect(self) -> None:
        self._disconnect = None

    # --- writing and closing ---

    def _chunk(self, data: bytes) -> None:
        self._send(b"%x\r\n%s\r\n" % (len(data), data))

    def _send(self, data: bytes) -> None:
        if self.closed:
            return
        if self.pending:
            self.pending += data
            if len(self.pending) > BEHIND:
                self._close()
            return
        try:
            sent = self.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self._lost()
            return
        if sent < len(data):
            self.pending = data[sent:]
            self.loop.add_writer(self.sock.fileno(), self._writable)

    def _writable(self) -> None:
        try:
            sent = self.sock.send(self.pending)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._lost()
            return
        self.pending = self.pending[sent:]
        if not self.pending:
            self.loop.remove_writer(self.sock.fileno())
            drained, self._drained = self._drained, None
            if drained is not None and not drained.done():
                drained.set_result(None)

    def _close(self) -> None:
        """Close now: what the kernel would not take yet is not waited for
        (a refusal or an ending is short; a reader that far behind is dropped)."""
        self._lost()

    def _lost(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.head_timer.cancel()
        fd = self.sock.fileno()
        self.loop.remove_reader(fd)
        self.loop.remove_writer(fd)
        self.sock.close()
        self.pending = b""
        if self.admission is not None:
            get_broker().unsubscribe(self)  # type: ignore[arg-type]
            self.loop.create_task(streams.release(self.admission))
            self.admission = None
        callback, self._disconnect = self._disconnect, None
        if callback is not None:
            callback(None)
        drained, self._drained = self._drained, None
        if drained is not None and not drained.done():
            drained.set_exception(ConnectionResetError("The client went away."))


def _accept(listener: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
    for _ in range(100):
        try:
            sock, address = listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            logger.warning("Could not accept a live stream's connection: %s", error)
            return
        sock.setblocking(False)
        Connection(sock, address[0] if isinstance(address, tuple) else "", loop)


async def serve_streams(listener: socket.socket) -> None:
    """Serve /live/ on ``listener`` until SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    await get_broker().start()
    listener.setblocking(False)
    loop.add_reader(listener.fileno(), _accept, listener, loop)
    stopped = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set_result, None)
    try:
        await stopped
    finally:
        loop.remove_reader(listener.fileno())
        listener.close()
        await get_broker().stop()


def run(listener: socket.socket) -> None:
    asyncio.run(serve_streams(listener))
