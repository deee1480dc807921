"""One public origin for pages and streams, in one process.

Pages and the API stay on Django's WSGI handler, which costs ~0.08 ms per
request against ~1.3 ms for Django's ASGI handler; only /live/ streams need
an event loop. So the ASGI server (granian, see bin/run) runs this small
router: /live/… goes to the async stream endpoint, everything else to the
WSGI application in a pool of threads, with nothing between them but the
environ. Streams and pages share the process, so the local broker carries
a comment posted through a page to every stream.

Measured on the 2-core development machine (trivial view, full middleware,
wrk at concurrency 32 from another process, CPU time of the server per
request): this bridge costs ~0.87x the capacity of plain WSGI granian,
against ~0.55x for a2wsgi and ~0.3x for Django's ASGI handler. See
bench/live/README.md.

The bridge answers small responses (under BUFFER bytes) in one piece and
streams larger ones chunk by chunk from the thread that runs the view, so
Django's request_finished (which closes the thread's database connection)
always runs in the thread that opened it.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

from django.conf import settings

from . import streams
from .broker import get_broker
from .streams import Receive, Scope, Send

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# Responses up to this size go out in one message (nearly all pages).
BUFFER = 256 * 1024
# Request bodies up to this size are kept in memory, larger ones spooled
# to a temporary file; past MAX_BODY the request is refused (413).
SPOOL = 1024 * 1024
MAX_BODY = 64 * 1024 * 1024
_SPECIAL_HEADERS = {"CONTENT_TYPE", "CONTENT_LENGTH"}


class Gateway:
    """ASGI application: /live/ to the stream endpoint, the rest to WSGI."""

    def __init__(self, pages: WSGIApp, *, threads: int | None = None) -> None:
        self.pages = pages
        self.pool = ThreadPoolExecutor(
            max_workers=threads or settings.SOUNDOFF_PAGE_THREADS, thread_name_prefix="pages"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if scope["path"].startswith("/live/"):
                await streams.serve(scope, receive, send)
            else:
                await self._page(scope, receive, send)
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

    async def _page(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(scope, receive)
        if body is None:
            await streams.respond(send, 413, "Request body too large.")
            return
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(
                self.pool, self._run, _environ(scope, body), loop, send
            )
        finally:
            body.close()
        if answer is not None:
            status, headers, content = answer
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content})

    def _run(
        self, environ: dict[str, Any], loop: asyncio.AbstractEventLoop, send: Send
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        """Run the WSGI app in this thread. Returns the whole response, or
        None when it was large and has been streamed already."""
        started: list[Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            started[:] = [
                int(status[:3]),
                [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            ]
            return _no_write

        async def sending(message: dict[str, Any]) -> None:
            await send(message)

        def forward(message: dict[str, Any]) -> None:
            asyncio.run_coroutine_threadsafe(sending(message), loop).result()

        result = self.pages(environ, start_response)
        try:
            chunks: list[bytes] = []
            size = 0
            streaming = False
            for chunk in result:
                if not chunk:
                    continue
                if streaming:
                    forward({"type": "http.response.body", "body": chunk, "more_body": True})
                    continue
                chunks.append(chunk)
                size += len(chunk)
                if size > BUFFER:
                    streaming = True
                    forward(
                        {
                            "type": "http.response.start",
                            "status": started[0],
                            "headers": started[1],
                        }
                    )
                    forward(
                        {"type": "http.response.body", "body": b"".join(chunks), "more_body": True}
                    )
                    chunks = []
            if streaming:
                forward({"type": "http.response.body", "body": b""})
                return None
            return started[0], started[1], b"".join(chunks)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def _no_write(data: bytes) -> None:
    raise NotImplementedError("Soundoff's gateway does not support the WSGI write() callable.")


async def _read_body(scope: Scope, receive: Receive) -> IO[bytes] | None:
    body: IO[bytes] = io.BytesIO()
    size = 0
    more = True
    while more:
        event = await receive()
        if event["type"] == "http.disconnect":
            break
        chunk = event.get("body", b"")
        more = event.get("more_body", False)
        if not chunk:
            continue
        size += len(chunk)
        if size > MAX_BODY:
            body.close()
            return None
        if size > SPOOL and isinstance(body, io.BytesIO):
            spooled = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller
            spooled.write(body.getvalue())
            body = spooled
        body.write(chunk)
    body.seek(0)
    return body


def _environ(scope: Scope, body: IO[bytes]) -> dict[str, Any]:
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/" + scope["http_version"],
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        key = name if name in _SPECIAL_HEADERS else f"HTTP_{name}"
        if key in environ:
            value = f"{environ[key]}{'; ' if key == 'HTTP_COOKIE' else ','}{value}"
        environ[key] = value
    return environ
