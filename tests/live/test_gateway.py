"""The gateway's WSGI side, driven in-process over ASGI with a small WSGI app."""

from __future__ import annotations

import json

from django.core.handlers.wsgi import WSGIRequest

from soundoff.lib.client import client_ip
from soundoff.live import gateway, streams
from soundoff.live.gateway import Gateway
from testkit.streams import run_async


def wsgi_app(environ, start_response):
    body = environ["wsgi.input"].read()
    if environ["PATH_INFO"] == "/big/":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return [b"x" * 100_000 for _ in range(5)]
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Seen", "yes")])
    summary = (
        f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} ?{environ['QUERY_STRING']} "
        f"{len(body)} {environ.get('HTTP_COOKIE', '')} {environ['REMOTE_ADDR']} "
        f"{environ['CONTENT_LENGTH']} {environ.get('HTTP_TRANSFER_ENCODING')}"
    )
    return [summary.encode()]


def call(path, *, method="GET", body=b"", headers=(), chunk=65536):
    sent = []
    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    incoming = [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1}
        for i, part in enumerate(parts)
    ]

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "path": path,
        "query_string": b"a=1",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("203.0.113.5", 50000),
        "server": ("testserver", 80),
        "scheme": "http",
    }
    app = Gateway(wsgi_app, threads=2)
    try:
        run_async(app(scope, receive, send))
    finally:
        app.pool.shutdown()
    return sent


def test_small_response_goes_out_in_one_piece():
    start, body = call("/café/", headers=[(b"cookie", b"a=1"), (b"cookie", b"b=2")])
    assert start["status"] == 201
    assert (b"x-seen", b"yes") in start["headers"]
    assert body["body"].decode() == "GET /cafÃ©/ ?a=1 0 a=1; b=2 203.0.113.5 0 None"
    assert not body.get("more_body")


def test_large_response_is_streamed_from_the_views_thread():
    sent = call("/big/")
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert len(body) == 500_000
    assert sent[-1].get("more_body", False) is False


def test_request_body_is_read_and_spooled_past_its_memory_limit(monkeypatch):
    monkeypatch.setattr(gateway, "SPOOL", 1000)
    _, body = call("/upload/", method="POST", body=b"y" * 5000, chunk=700)
    assert body["body"].startswith(b"POST /upload/ ?a=1 5000 ")


def test_a_chunked_body_reaches_the_app_whole_with_its_length():
    headers = [(b"transfer-encoding", b"chunked")]
    _, body = call("/upload/", method="POST", body=b"y" * 5000, headers=headers, chunk=700)
    assert body["body"].startswith(b"POST /upload/ ?a=1 5000 ")
    assert body["body"].endswith(b" 5000 None")


def test_a_page_body_past_the_limit_is_refused(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.SOUNDOFF_AVATAR_MAX_BYTES = 2000
    assert gateway.body_limit("/accounts/profile/") == 2000 + gateway.FORM_OVERHEAD
    size = 2000 + gateway.FORM_OVERHEAD
    assert call("/upload/", method="POST", body=b"y" * size)[0]["status"] == 201
    start, body = call("/upload/", method="POST", body=b"y" * (size + 1), chunk=700)
    assert start["status"] == 413
    assert body["body"].startswith(b"What you sent is larger than 67.5 KB")


def test_an_api_body_past_the_limit_is_refused_in_the_apis_shape(settings):
    settings.SOUNDOFF_API_MAX_BODY = 1000
    assert call("/api/v1/comments", method="POST", body=b"y" * 1000)[0]["status"] == 201
    start, body = call("/api/v1/comments", method="POST", body=b"y" * 1001, chunk=700)
    assert start["status"] == 413
    assert json.loads(body["body"]) == {
        "error": "too_large",
        "detail": "The request body is larger than 1000 bytes.",
    }


def test_a_body_declared_past_the_limit_is_refused_unread(settings):
    settings.SOUNDOFF_API_MAX_BODY = 1000
    headers = [(b"content-length", b"1001")]
    start, _ = call("/api/v1/comments", method="POST", headers=headers)
    assert start["status"] == 413


def test_streams_read_repeated_forwarded_for_lines_as_pages_do(settings):
    # Some proxies add an X-Forwarded-For line of their own instead of
    # extending the client's: pages and streams must count the same entries.
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 2
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": "/live/threads/1/",
        "query_string": b"",
        "headers": [
            (b"x-forwarded-for", b"192.0.2.1, 203.0.113.7"),
            (b"x-forwarded-for", b"10.0.0.1"),
        ],
        "client": ("10.0.0.2", 50000),
    }

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        pass

    page = WSGIRequest(gateway._asgi_environ(scope, gateway._Body(0)))
    stream = gateway._ASGIExchange(scope, receive, send)
    assert client_ip(page) == streams._client_ip(stream) == "203.0.113.7"


def test_a_started_stream_lets_its_request_headers_go():
    # Thousands of streams stay open for minutes: none keeps its request's
    # headers (a browser's cookies and the rest) once its response began.
    sent = []
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": "/live/threads/1/",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"cookie", b"csrftoken=abc; consent=1")],
        "client": ("203.0.113.5", 50000),
    }

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    stream = gateway._ASGIExchange(scope, receive, send)
    assert stream.headers["cookie"] == "csrftoken=abc; consent=1"
    run_async(stream.start_stream(200, streams.SSE_HEADERS))
    assert stream.headers == {}
    assert sent == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(k.encode(), v.encode()) for k, v in streams.SSE_HEADERS],
        }
    ]
