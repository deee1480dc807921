"""``python -m soundoff.serve [granian's options] soundoff.asgi:application``:
granian, with Django loaded once, before it forks its workers.

granian's supervisor imports nothing of the application: each worker loads
Django, the URLconf and every view on its own, ~55 MB of objects private to
that worker. Loaded here first, the workers are forked with those pages
shared until written (bench/live_memory, 2 workers, no stream: 134 -> 107
MiB PSS for the instance). What is loaded is code and configuration only:
no database connection, cache client, broker, thread or socket is made
before the fork (tests/live/test_preload.py keeps it so); each worker then
makes its own.

The application itself (soundoff.asgi, which checks the settings: a bad
one stops the server here, before any worker starts) is loaded here too,
and it serves a request before the fork: what a first request builds (the
middleware's lazily made objects, translation catalogues, the bytecode
the interpreter specialises as it runs) is then built once and shared,
not once per worker (bench/README.md: the idle instance -6 MiB PSS). Only
a path that reads neither the database nor a cache is served so.

The workers are forked, whatever the interpreter's default start method
(Python 3.14's forkserver would make granian spawn fresh interpreters and
waste what is loaded here). A worker granian restarts is forked from this
same loaded state, so a code change needs a restart of the whole server.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import signal
import socket
import sys
from importlib import import_module
from typing import Any

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import get_resolver
from django.utils import formats
from django.utils.module_loading import import_string
from granian.cli import cli


def preload() -> None:
    """Import what every worker imports before its first request (the
    apps, the middleware, the URLconf with every view, the application)
    and serve a first request through it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")
    django.setup(set_prefix=False)
    for middleware in settings.MIDDLEWARE:
        import_string(middleware)
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    warm_up(import_string("soundoff.asgi.pages"))
    warm_up_writes()
    # Objects made so far are never freed: keep the collector from writing
    # to their pages in every worker (which would unshare them).
    gc.collect()
    gc.freeze()


def warm_up_writes() -> None:
    """Build what a comment's first write builds in each worker otherwise,
    from files only (no database, no cache): every language's translation
    catalogue (a live event is rendered in each), the modules the write
    imports on its way, the spam model and the Markdown parsers."""
    from django.utils import translation

    from soundoff.lib.text import render_comment, render_post
    from soundoff.moderation.scoring import harm, spam

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Comments")
            formats.get_format("DATE_FORMAT")
    import_module("django.db.models.sql.compiler")
    spam.model().probability("warm up")
    harm.threat("warm up")
    render_comment("*warm* up https://example.com")
    render_post("*warm* up")


# Served before the fork: each reads neither the database nor a cache,
# whose clients would otherwise be shared by the workers
# (tests/live/test_preload.py keeps it so).
WARM_UP_PATHS = ("/robots.txt",)
# The interpreter specialises code that has run a few times, not once.
WARM_UP_ROUNDS = 3


def warm_up(pages: WSGIHandler) -> None:
    """Serve WARM_UP_PATHS through the workers' own WSGI handler."""
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.lstrip(".*")), "localhost")
    for path in WARM_UP_PATHS * WARM_UP_ROUNDS:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        response = pages(environ, _ignore_start)
        try:
            b"".join(response)
        finally:
            response.close()


def _ignore_start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Any:
    return None


def start_stream_server() -> None:
    """Fork the live streams' own process (soundoff/live/server.py) from
    this loaded state, when SOUNDOFF_LIVE_PORT names its port; it listens
    on SOUNDOFF_LIVE_HOST.

    It lives as long as this process: the kernel stops it when this one
    ends, and when it ends first (it could not listen, its broker failed)
    it stops this one, so that the server as a whole ends and says so.
    """
    port = settings.SOUNDOFF_LIVE_PORT
    if not port:
        return
    host = settings.SOUNDOFF_LIVE_HOST.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        # Bound here, so that a port in use stops the server before it starts.
        listener = socket.create_server((host, port), family=family, backlog=2048)
    except (OSError, OverflowError) as error:
        raise SystemExit(f"The live streams' port {host}:{port} can't be used: {error}") from None
    parent = os.getpid()
    if os.fork() != 0:
        listener.close()  # The child's: granian's workers don't inherit it.
        return
    status = 1
    try:
        _stop_with_parent()
        from soundoff.live.server import run

        run(listener)
        status = 0
    except BaseException:
        logging.getLogger("soundoff.live").exception("The live stream server stopped.")
    finally:
        if os.getppid() == parent:
            os.kill(parent, signal.SIGTERM)
        os._exit(status)


def _stop_with_parent() -> None:
    """Have the kernel send SIGTERM here when the parent process ends."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def main() -> None:
    multiprocessing.set_start_method("fork", force=True)
    preload()
    start_stream_server()
    # granian's own command line, as if it had been started by its name.
    cli(args=sys.argv[1:], prog_name="granian")


if __name__ == "__main__":
    main()
