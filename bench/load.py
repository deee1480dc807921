"""A small closed-loop HTTP/1.1 load generator (asyncio, standard library only).

``concurrency`` connections each send one request, wait for the answer, and
send the next, so every request's latency is measured from its first byte
sent to its last byte read. Each run is bounded twice: it stops issuing
requests at ``duration`` seconds or after ``max_requests``, whichever comes
first, and a request still unanswered ``timeout`` seconds after it was sent
is abandoned and counted as unfinished. Keep-alive is used where the server
offers it; a server that answers ``Connection: close`` (gunicorn's sync
workers) gets a new connection per request, as a browser would.

Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, port: int) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {HOST}:{port}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.body or self.method in {"POST", "PUT", "PATCH"}:
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


# Builds the n-th request of a run; writes use n to make keys and texts unique.
RequestFactory = Callable[[int], Request]
# Called with each answered request and its answer (seeding reads the ids).
Observer = Callable[[int, Request, Response], None]


@dataclass
class Result:
    concurrency: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # answered with an ok status
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0  # connection refused, reset, malformed answer
    unfinished: int = 0  # still unanswered after the timeout

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def failures(self) -> int:
        return sum(self.statuses.values()) - self.ok + self.errors + self.unfinished

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float | None:
        """The p-th percentile latency in seconds (nearest rank), or None."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    @property
    def p50(self) -> float | None:
        return self.percentile(50)

    @property
    def p99(self) -> float | None:
        return self.percentile(99)

    def as_dict(self) -> dict[str, object]:
        return {
            "concurrency": self.concurrency,
            "elapsed": round(self.elapsed, 3),
            "ok": self.ok,
            "rate": round(self.rate, 2),
            "p50": self.p50,
            "p99": self.p99,
            "statuses": dict(self.statuses),
            "errors": self.errors,
            "unfinished": self.unfinished,
        }


class ProtocolError(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> Response:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ProtocolError(lines[0])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif int(parts[1]) in (204, 304):
        body = b""
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return Response(int(parts[1]), headers, body)


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def _close(connection: Connection | None) -> None:
    if connection is not None:
        connection[1].close()


def run(
    port: int,
    make: RequestFactory,
    *,
    concurrency: int,
    duration: float,
    max_requests: int = 1_000_000,
    timeout: float = 60.0,
    ok: frozenset[int] = frozenset({200}),
    observe: Observer | None = None,
) -> Result:
    """Drive ``make``'s requests at ``concurrency``; bounded in time and count."""
    result = Result(concurrency)
    issued = 0

    async def worker(deadline: float) -> None:
        nonlocal issued
        connection: Connection | None = None
        try:
            while issued < max_requests and time.perf_counter() < deadline:
                n = issued
                issued += 1
                request = make(n)
                sent = time.perf_counter()
                try:
                    if connection is None:
                        connection = await asyncio.wait_for(
                            asyncio.open_connection(HOST, port), timeout
                        )
                    reader, writer = connection
                    writer.write(request.encode(port))
                    left = timeout - (time.perf_counter() - sent)
                    response = await asyncio.wait_for(_read_response(reader), max(left, 0.001))
                except TimeoutError:
                    result.unfinished += 1
                    _close(connection)
                    connection = None
                    continue
                except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError):
                    result.errors += 1
                    _close(connection)
                    connection = None
                    await asyncio.sleep(0.01)
                    continue
                latency = time.perf_counter() - sent
                result.statuses[response.status] += 1
                if response.status in ok:
                    result.latencies.append(latency)
                if observe is not None:
                    observe(n, request, response)
                if response.headers.get("connection", "").lower() == "close":
                    _close(connection)
                    connection = None
        finally:
            _close(connection)

    async def drive() -> None:
        start = time.perf_counter()
        await asyncio.gather(*(worker(start + duration) for _ in range(concurrency)))
        result.elapsed = time.perf_counter() - start

    asyncio.run(drive())
    return result


def get(path: str, headers: dict[str, str] | None = None) -> RequestFactory:
    return always(Request("GET", path, headers or {}))


def always(request: Request) -> RequestFactory:
    """The same request every time."""
    return lambda n: request
