"""One public origin for pages and streams, in one process.

Pages and the API stay on Django's WSGI handler (~0.08 ms of overhead per
request, against ~1.3 ms for Django's ASGI handler); only the /live/
streams need an event loop. So the server runs this small router: /live/…
goes to the async stream endpoint, everything else to the WSGI application
in a pool of threads, with nothing between the two but the environ. Each
worker process of the server runs one; the broker carries a comment
posted through a page of any worker to the streams of every worker.

It speaks granian's native RSGI (what bin/run serves: ``granian --interface
rsgi soundoff.asgi:application``) and plain ASGI (any ASGI server). Measured
on the 2-core development machine (trivial view, full middleware, wrk at
concurrency 32 from another process, medians of interleaved runs): RSGI
gateway 0.83x the req/s of plain WSGI granian (0.85x its CPU per request),
ASGI gateway 0.75x, a2wsgi ~0.5x, Django's ASGI handler 0.1-0.3x. Idle
streams cost pages nothing. Numbers and method: soundoff/live/README.md.

A response up to BUFFER bytes (nearly every page) goes out in one piece;
a larger one is streamed chunk by chunk from the thread running the view,
so that Django's request_finished (which closes that thread's database
connection) always runs in the thread that opened it.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import sys
import tempfile
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from soundoff.lib.images import format_bytes

from . import desk, streams
from .broker import get_broker
from .streams import Headers

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
# A whole response: status, headers, body.
Whole = tuple[int, Headers, bytes]

# Responses up to this size go out in one message (nearly all pages).
BUFFER = 256 * 1024
# Request bodies past SPOOL bytes go to a temporary file; past
# body_limit() the request is refused (413) and reading stops.
SPOOL = 1024 * 1024
# What a page form with a picture sends besides the picture: its other
# fields and the multipart headers.
FORM_OVERHEAD = 64 * 1024
_SPECIAL_HEADERS = {"CONTENT_TYPE", "CONTENT_LENGTH"}
_BASE_ENVIRON = {
    "SCRIPT_NAME": "",
    "wsgi.version": (1, 0),
    "wsgi.errors": sys.stderr,
    "wsgi.multithread": True,
    "wsgi.multiprocess": True,
    "wsgi.run_once": False,
}


class Streamer:
    """Where a large response goes, chunk by chunk (called on the loop).
    It and the exchanges below have slots: one lives as long as its stream."""

    __slots__ = ()

    async def start(self, status: int, headers: Headers) -> None:
        raise NotImplementedError

    async def write(self, data: bytes) -> None:
        raise NotImplementedError

    async def end(self) -> None:
        """The response is complete."""


class Gateway:
    """/live/ to the stream endpoint, the rest to the WSGI application."""

    def __init__(self, pages: WSGIApp, *, threads: int | None = None) -> None:
        self.pages = pages
        self.pool = ThreadPoolExecutor(
            max_workers=threads or settings.SOUNDOFF_PAGE_THREADS, thread_name_prefix="pages"
        )

    # --- granian RSGI ---

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # Called before the worker's loop runs: a broker that can't start
        # (Redis configured but down) stops the server with its message.
        loop.run_until_complete(get_broker().start())

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.run_until_complete(get_broker().stop())
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if scope.proto != "http":
            return
        if scope.path.startswith("/live/"):
            await _serve_live(_RSGIExchange(scope, proto))
            return
        body = await _read_rsgi_body(scope, proto, body_limit(scope.path))
        if body is None:
            proto.response_bytes(*_too_large(scope.path))
            return
        whole = await self._run(_rsgi_environ(scope, body), _RSGIStreamer(proto))
        if whole is not None:
            proto.response_bytes(*whole)

    # --- ASGI ---

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if scope["path"].startswith("/live/"):
                await _serve_live(_ASGIExchange(scope, receive, send))
            else:
                await self._asgi_page(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                try:
                    await get_broker().start()
                except Exception as error:
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    raise
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                await get_broker().stop()
                self.pool.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _asgi_page(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_asgi_body(scope, receive, body_limit(scope["path"]))
        exchange = _ASGIExchange(scope, receive, send)
        if body is None:
            await exchange.respond(*_too_large(scope["path"]))
            return
        whole = await self._run(_asgi_environ(scope, body), _ASGIStreamer(send))
        if whole is not None:
            await exchange.respond(*whole)

    # --- the WSGI side ---

    async def _run(self, environ: dict[str, Any], streamer: Streamer) -> Whole | None:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool, self._call, environ, loop, streamer)
        finally:
            environ["wsgi.input"].close()

    def _call(
        self, environ: dict[str, Any], loop: asyncio.AbstractEventLoop, streamer: Streamer
    ) -> Whole | None:
        """Run the WSGI application in this (pool) thread. Returns the whole
        response, or None when it was large and has been streamed."""
        started: list[Any] = [500, []]

        def start_response(status: str, headers: Headers, exc_info: Any = None) -> Any:
            started[:] = [int(status[:3]), headers]
            return _no_write

        def on_loop(coroutine: Any) -> None:
            asyncio.run_coroutine_threadsafe(coroutine, loop).result()

        result = self.pages(environ, start_response)
        try:
            chunks: list[bytes] = []
            size = 0
            streaming = False
            for chunk in result:
                if not chunk:
                    continue
                if streaming:
                    on_loop(streamer.write(chunk))
                    continue
                chunks.append(chunk)
                size += len(chunk)
                if size > BUFFER:
                    streaming = True
                    on_loop(streamer.start(started[0], started[1]))
                    on_loop(streamer.write(b"".join(chunks)))
            if streaming:
                on_loop(streamer.end())
                return None
            return started[0], started[1], b"".join(chunks)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def _serve_live(exchange: streams.Exchange) -> Coroutine[Any, Any, None]:
    """The moderation desk's stream, or a thread's. A plain function that
    returns the coroutine to await: no frame of its own for the stream's life."""
    return streams.serve(exchange, desk.serve if exchange.path == desk.PATH else None)


def _no_write(data: bytes) -> None:
    raise NotImplementedError("Soundoff's gateway does not support the WSGI write() callable.")


def body_limit(path: str) -> int:
    """The most bytes of request body read for ``path``.

    The API takes JSON up to SOUNDOFF_API_MAX_BODY. A page takes what its
    largest form needs: a profile picture (SOUNDOFF_AVATAR_MAX_BYTES) and
    its fields, or the fields Django reads into memory without a file
    (DATA_UPLOAD_MAX_MEMORY_SIZE). Django checks neither a file's size nor
    a chunked body's, so without this cap a client could make the server
    spool anything it cares to send.
    """
    if path.startswith("/api/"):
        return settings.SOUNDOFF_API_MAX_BODY
    fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return max(fields, settings.SOUNDOFF_AVATAR_MAX_BYTES) + FORM_OVERHEAD


def _declared_too_large(length: str, limit: int) -> bool:
    return length.isdigit() and int(length) > limit


def _too_large(path: str) -> Whole:
    if path.startswith("/api/"):
        # The API's one error shape, from the API's own refusal.
        from soundoff.api.middleware import too_large

        response = too_large()
        return response.status_code, list(response.items()), response.content
    text = _(
        "What you sent is larger than %(limit)s, the most this site accepts. "
        "Go back and choose a smaller picture."
    ) % {"limit": format_bytes(body_limit(path))}
    return 413, [("content-type", "text/plain; charset=utf-8")], text.encode()


class _Body:
    """A request body, in memory until SPOOL bytes, then in a temporary file."""

    def __init__(self, limit: int) -> None:
        self.file: IO[bytes] = io.BytesIO()
        self.size = 0
        self.limit = limit

    def add(self, chunk: bytes) -> bool:
        """Append ``chunk``; False once the body is past its limit."""
        self.size += len(chunk)
        if self.size > self.limit:
            self.file.close()
            return False
        if self.size > SPOOL and isinstance(self.file, io.BytesIO):
            spooled = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the environ
            spooled.write(self.file.getvalue())
            self.file = spooled
        self.file.write(chunk)
        return True

    def into(self, environ: dict[str, Any]) -> None:
        """Hand the body to the WSGI application, with its length.

        The length counted here replaces whatever the client declared, and a
        chunked body arrives whole: Django reads exactly CONTENT_LENGTH bytes
        (none without it), and the API checks its cap against it.
        """
        self.file.seek(0)
        environ["wsgi.input"] = self.file
        environ["CONTENT_LENGTH"] = str(self.size)
        environ.pop("HTTP_TRANSFER_ENCODING", None)


def headers_by_name(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers by lower-case name, a repeated one's values joined in order.

    As the pages see them (``_add_header``): a proxy may add its own
    X-Forwarded-For line after the client's rather than extend it, and the
    entries counted from the right must be the same for pages and streams.
    """
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    return headers


def _add_header(environ: dict[str, Any], name: str, value: str) -> None:
    name = name.upper().replace("-", "_")
    key = name if name in _SPECIAL_HEADERS else f"HTTP_{name}"
    if key in environ:
        value = f"{environ[key]}{'; ' if key == 'HTTP_COOKIE' else ','}{value}"
    environ[key] = value


# --- ASGI adapters ---


async def _read_asgi_body(scope: Scope, receive: Receive, limit: int) -> _Body | None:
    body = _Body(limit)
    declared = dict(scope["headers"]).get(b"content-length", b"").decode("latin-1")
    if _declared_too_large(declared, limit):
        return None
    more = True
    while more:
        event = await receive()
        if event["type"] == "http.disconnect":
            break
        more = event.get("more_body", False)
        chunk = event.get("body", b"")
        if chunk and not body.add(chunk):
            return None
    return body


def _asgi_environ(scope: Scope, body: _Body) -> dict[str, Any]:
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        **_BASE_ENVIRON,
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/" + scope["http_version"],
        "REMOTE_ADDR": client[0],
        "wsgi.url_scheme": scope.get("scheme", "http"),
    }
    for name, value in scope["headers"]:
        _add_header(environ, name.decode("latin-1"), value.decode("latin-1"))
    body.into(environ)
    return environ


def _encoded(headers: Headers) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]


class _ASGIStreamer(Streamer):
    __slots__ = ("send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def start(self, status: int, headers: Headers) -> None:
        self.started = True
        await self.send(
            {"type": "http.response.start", "status": status, "headers": _encoded(headers)}
        )

    async def write(self, data: bytes) -> None:
        await self.send({"type": "http.response.body", "body": data, "more_body": True})

    async def end(self) -> None:
        await self.send({"type": "http.response.body", "body": b""})


class _ASGIExchange(_ASGIStreamer):
    __slots__ = ("headers", "method", "path", "peer", "query_string", "receive")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        super().__init__(send)
        self.receive = receive
        self.method = scope["method"]
        self.path = scope["path"]
        self.query_string = scope["query_string"].decode("latin-1")
        self.headers = headers_by_name(
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
        )
        self.peer = (scope.get("client") or ("", 0))[0]

    async def respond(self, status: int, headers: Headers, body: bytes) -> None:
        await self.start(status, headers)
        await self.send({"type": "http.response.body", "body": body})

    async def start_stream(self, status: int, headers: Headers) -> None:
        self.headers = {}  # read before the stream starts (see Exchange)
        await self.start(status, headers)

    async def end_stream(self) -> None:
        await self.end()

    def on_disconnect(self, callback: Callable[[object], None]) -> Callable[[], None]:
        # ASGI says so only through receive(): one task waits on it.
        async def watch() -> None:
            while (await self.receive())["type"] != "http.disconnect":
                pass
            callback(None)

        watcher = asyncio.get_running_loop().create_task(watch())

        def stop() -> None:
            watcher.cancel()

        return stop


# --- RSGI adapters ---


async def _read_rsgi_body(scope: Any, proto: Any, limit: int) -> _Body | None:
    body = _Body(limit)
    headers = scope.headers
    if "content-length" not in headers and "transfer-encoding" not in headers:
        return body
    if _declared_too_large(headers.get("content-length", ""), limit):
        return None
    async for chunk in proto:
        if chunk and not body.add(chunk):
            return None
    return body


def _rsgi_environ(scope: Any, body: _Body) -> dict[str, Any]:
    server_host, _sep, server_port = scope.server.rpartition(":")
    environ: dict[str, Any] = {
        **_BASE_ENVIRON,
        "REQUEST_METHOD": scope.method,
        "PATH_INFO": scope.path.encode().decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_host.strip("[]"),
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": "HTTP/" + scope.http_version,
        "REMOTE_ADDR": scope.client.rpartition(":")[0].strip("[]"),
        "wsgi.url_scheme": scope.scheme,
    }
    for name, value in scope.headers.items():
        _add_header(environ, name, value)
    body.into(environ)
    return environ


class _RSGIStreamer(Streamer):
    __slots__ = ("proto", "started", "transport")

    def __init__(self, proto: Any) -> None:
        self.proto = proto
        self.transport: Any = None
        self.started = False

    async def start(self, status: int, headers: Headers) -> None:
        self.started = True
        self.transport = self.proto.response_stream(status, headers)

    async def write(self, data: bytes) -> None:
        from granian.rsgi import ProtocolClosed

        try:
            await self.transport.send_bytes(data)
        except ProtocolClosed as closed:
            raise ConnectionResetError("The client went away.") from closed


class _RSGIExchange(_RSGIStreamer):
    __slots__ = ("headers", "method", "path", "peer", "query_string")

    def __init__(self, scope: Any, proto: Any) -> None:
        super().__init__(proto)
        self.method = scope.method
        self.path = scope.path
        self.query_string = scope.query_string
        self.headers = headers_by_name(scope.headers.items())
        self.peer = scope.client.rpartition(":")[0].strip("[]")

    async def respond(self, status: int, headers: Headers, body: bytes) -> None:
        self.started = True
        self.proto.response_bytes(status, headers, body)

    async def start_stream(self, status: int, headers: Headers) -> None:
        self.headers = {}  # read before the stream starts (see Exchange)
        await self.start(status, headers)

    async def end_stream(self) -> None:
        pass  # The stream ends when the handler returns.

    def on_disconnect(self, callback: Callable[[object], None]) -> Callable[[], None]:
        # granian's future, with the callback itself on it: no task per
        # stream to wait on it, no closure around it.
        disconnect = self.proto.client_disconnect()
        disconnect.add_done_callback(callback)
        return functools.partial(disconnect.remove_done_callback, callback)
