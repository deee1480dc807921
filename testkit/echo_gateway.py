"""The live gateway in front of a WSGI application that echoes what it got.

tests/live/test_gateway_wsgi.py serves this with granian over RSGI, as
bin/run serves soundoff.asgi, to check the environ the gateway builds from a
real HTTP request and what it makes of the response: every request answers
with the environ as JSON; ``/big/<bytes>`` answers with that many bytes in
64 KB chunks; ``/status/`` answers 404 with a header sent twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundoff.settings")
django.setup()

from soundoff.live.gateway import Gateway  # noqa: E402 - needs the apps loaded

CHUNK = 64 * 1024
WSGI_KEYS = ("wsgi.version", "wsgi.url_scheme", "wsgi.multithread", "wsgi.multiprocess")


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = environ["wsgi.input"].read()
    path = environ["PATH_INFO"]
    if path.startswith("/big/"):
        size = int(path.removeprefix("/big/"))
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return (b"x" * min(CHUNK, size - start) for start in range(0, size, CHUNK))
    if path == "/status/":
        start_response(
            "404 Not Found", [("Content-Type", "text/plain"), ("X-Twice", "1"), ("X-Twice", "2")]
        )
        return [b"Not here."]
    seen = {key: value for key, value in environ.items() if key.isupper()}
    seen.update({key: environ[key] for key in WSGI_KEYS})
    seen["wsgi.errors is stderr"] = environ["wsgi.errors"] is sys.stderr
    seen["wsgi.run_once"] = environ["wsgi.run_once"]
    seen["body sha256"] = hashlib.sha256(body).hexdigest()
    start_response("200 OK", [("Content-Type", "application/json"), ("X-Echo", "yes")])
    return [json.dumps(seen).encode()]


application = Gateway(echo, threads=2)
