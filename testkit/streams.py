"""A small client for Server-Sent Events streams, and a way to run a
coroutine from a test thread that already has an event loop.

Part of testkit, beside the test servers (testkit.servers) whose streams
it reads.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Event:
    name: str = "message"
    data: str = ""
    id: str | None = None
    comment: str | None = None  # a comment line (heartbeat) instead of an event
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


@dataclass
class Stream:
    """GET a stream and read its events one by one, with deadlines."""

    port: int
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None
    response: http.client.HTTPResponse | None = None

    def open(self) -> Stream:
        """Open the stream, on ``conn`` if one was given (see Server.connect)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        self.conn.request(
            "GET", self.path, headers={"Accept": "text/event-stream", **self.headers}
        )
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.response_headers = {k.lower(): v for k, v in self.response.getheaders()}
        return self

    def next(self, timeout: float = 10) -> Event | None:
        """The next event or comment line; None at the end of the stream."""
        assert self.conn is not None and self.response is not None
        assert self.conn.sock is not None
        self.conn.sock.settimeout(timeout)
        event = Event()
        seen = False
        while True:
            line = self.response.readline()
            if not line:
                return event if seen else None
            text = line.decode().rstrip("\n")
            if not text:
                if seen:
                    return event
                continue
            seen = True
            name, _, value = text.partition(":")
            value = value.removeprefix(" ")
            if name == "":
                event.comment = value
            elif name == "data":
                event.data = f"{event.data}\n{value}" if event.data else value
            elif name == "event":
                event.name = value
            elif name == "id":
                event.id = value
            elif name == "retry":
                event.retry = int(value)

    def until(self, name: str, timeout: float = 10) -> Event:
        """Read until an event called ``name`` (skipping heartbeats)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no {name!r} event within {timeout} s"
            event = self.next(left)
            assert event is not None, f"the stream ended before a {name!r} event"
            if event.comment is None and event.name == name:
                return event

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def open_once_a_slot_is_free(port: int, path: str, *, attempts: int = 50) -> Stream:
    """A stream of ``path``, once the server has freed the slot of one the
    caller closed. The server learns of a closed stream only when it next
    reads or writes on it, and says nothing the client could wait on, so
    this asks again every 0.1 s; it fails after ``attempts`` refusals."""
    for _attempt in range(attempts):
        stream = Stream(port, path).open()
        if stream.status == 200:
            return stream
        stream.close()
        time.sleep(0.1)
    raise AssertionError(f"no stream slot came free on port {port}: {stream.status}")


def run_async(coroutine: Any) -> Any:
    """Run a coroutine to completion on a thread of its own.

    The browser tests keep Playwright's sync driver (an event loop) on the
    main thread for the whole session, where asyncio.run() refuses to start
    a second loop; a fresh thread has none.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
