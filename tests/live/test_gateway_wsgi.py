"""The gateway's WSGI side over RSGI, as bin/run serves it: real granian, real
HTTP requests, and a WSGI application (testkit/echo_gateway.py) that answers
with the environ it was given, so each test sees what the gateway built."""

from __future__ import annotations

import hashlib
import json

import pytest

from soundoff.live.gateway import BUFFER, SPOOL
from testkit.servers import Server, server_env


@pytest.fixture(scope="module")
def echo(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("gateway-wsgi")
    with server_env(data_dir, SOUNDOFF_API_MAX_BODY="1000") as env:
        server = Server(env, data_dir / "server.log", app="testkit.echo_gateway:application")
        server.start()
        try:
            yield server
        finally:
            server.stop()


def send(server, method, path, *, headers=(), body=None, chunked=False):
    """One request with ``headers`` as given (names may repeat), and the
    response: status, the header lines, the body."""
    conn = server.connect()
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        elif body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if chunked:
            for start in range(0, len(body), 7000):
                part = body[start : start + 7000]
                conn.send(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            conn.send(b"0\r\n\r\n")
        elif body is not None:
            conn.send(body)
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


def environ_of(server, method, path, **kwargs):
    status, headers, body = send(server, method, path, **kwargs)
    assert (status, headers["X-Echo"]) == (200, "yes"), body[:300]
    return json.loads(body)


def test_the_request_line_and_the_server_become_cgi_variables(echo):
    environ = environ_of(echo, "DELETE", "/caf%C3%A9/menu?q=%C3%A9t%C3%A9&b=2")
    assert environ["REQUEST_METHOD"] == "DELETE"
    assert environ["SCRIPT_NAME"] == ""
    # PEP 3333: the path decoded, its bytes carried as latin-1; the query raw.
    assert environ["PATH_INFO"] == "/cafÃ©/menu"
    assert environ["QUERY_STRING"] == "q=%C3%A9t%C3%A9&b=2"
    assert environ["SERVER_NAME"] == "127.0.0.1"
    assert environ["SERVER_PORT"] == str(echo.port)
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert environ["REMOTE_ADDR"] == "127.0.0.1"


def test_the_wsgi_keys_say_threads_and_processes(echo):
    environ = environ_of(echo, "GET", "/")
    assert environ["wsgi.version"] == [1, 0]
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["wsgi.multithread"] is True
    assert environ["wsgi.multiprocess"] is True
    assert environ["wsgi.run_once"] is False
    assert environ["wsgi.errors is stderr"] is True


def test_headers_become_http_variables_and_repeated_ones_are_joined(echo):
    environ = environ_of(
        echo,
        "POST",
        "/form/",
        headers=[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Forwarded-For", "192.0.2.1"),
            ("X-Forwarded-For", "198.51.100.2"),
            ("Cookie", "a=1"),
            ("Cookie", "b=2"),
            ("Accept-Language", "es"),
        ],
        body=b"name=value",
    )
    assert environ["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert environ["CONTENT_LENGTH"] == "10"
    assert "HTTP_CONTENT_TYPE" not in environ and "HTTP_CONTENT_LENGTH" not in environ
    assert environ["HTTP_X_FORWARDED_FOR"] == "192.0.2.1,198.51.100.2"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["HTTP_ACCEPT_LANGUAGE"] == "es"
    assert environ["HTTP_HOST"] == f"127.0.0.1:{echo.port}"


def test_a_request_without_a_body_reads_as_empty(echo):
    environ = environ_of(echo, "GET", "/")
    assert environ["CONTENT_LENGTH"] == "0"
    assert environ["body sha256"] == hashlib.sha256(b"").hexdigest()


def test_a_body_past_the_memory_spool_arrives_whole(echo):
    body = bytes(range(256)) * 6000  # 1.5 MB: past SPOOL, under a page's limit
    assert len(body) > SPOOL
    environ = environ_of(echo, "POST", "/accounts/profile/", body=body)
    assert environ["CONTENT_LENGTH"] == str(len(body))
    assert environ["body sha256"] == hashlib.sha256(body).hexdigest()


def test_a_chunked_body_arrives_whole_with_its_counted_length(echo):
    body = b"chunk " * 5000
    environ = environ_of(echo, "POST", "/form/", body=body, chunked=True)
    assert environ["CONTENT_LENGTH"] == str(len(body))
    assert "HTTP_TRANSFER_ENCODING" not in environ
    assert environ["body sha256"] == hashlib.sha256(body).hexdigest()


def test_an_api_body_past_its_limit_is_refused_before_the_application(echo):
    status, headers, body = send(echo, "POST", "/api/v1/comments", body=b"y" * 1001)
    assert status == 413
    assert headers["X-Echo"] is None
    assert json.loads(body) == {
        "error": "too_large",
        "detail": "The request body is larger than 1000 bytes.",
    }


def test_the_status_and_every_header_line_come_back(echo):
    status, headers, body = send(echo, "GET", "/status/")
    assert status == 404
    assert headers["Content-Type"] == "text/plain"
    assert headers.get_all("X-Twice") == ["1", "2"]
    assert body == b"Not here."


@pytest.mark.parametrize("size", [1, 1000, BUFFER])
def test_a_response_up_to_the_buffer_goes_out_in_one_message(echo, size):
    status, headers, body = send(echo, "GET", f"/big/{size}")
    assert status == 200
    assert headers["Content-Length"] == str(size)
    assert headers["Transfer-Encoding"] is None
    assert body == b"x" * size


@pytest.mark.parametrize("size", [BUFFER + 1, 3 * BUFFER])
def test_a_larger_response_is_streamed_whole(echo, size):
    status, headers, body = send(echo, "GET", f"/big/{size}")
    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Length"] is None
    assert headers["Transfer-Encoding"] == "chunked"
    assert body == b"x" * size


def test_live_paths_go_to_the_stream_endpoint_not_the_application(echo):
    status, headers, _ = send(echo, "GET", "/live/threads/999999/")
    assert headers["X-Echo"] is None
    assert status == 404
    # ...and everything else to the application, however close its path.
    assert send(echo, "GET", "/live")[1]["X-Echo"] == "yes"
    assert send(echo, "GET", "/lively/")[1]["X-Echo"] == "yes"
