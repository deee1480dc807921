"""Request bodies through the real gateway (granian, soundoff.asgi), sent on
raw sockets: a body in chunks is counted as it arrives, and the server stops
reading one past its cap and answers 413 (in the API's error shape under
/api/) without waiting for the rest."""

from __future__ import annotations

import json
import socket

import pytest

from testkit.servers import Server, seeded_server

API_CAP = 64 * 1024
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB) is above the picture limit, plus
# the form overhead the gateway allows.
PAGE_CAP = 2_621_440 + 64 * 1024


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("request-bodies")
    with seeded_server(data_dir, SOUNDOFF_COMMENT_RATE="1000/60") as world:
        yield world


def exchange(server: Server, head: str, parts: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Send a request head and body parts, then read one response.

    Sends nothing more after the parts: a server that waited for the rest of
    the body would never answer, and the read would time out.
    """
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        for part in parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server has answered and stopped reading
        reply = sock.makefile("rb")
        status = int(reply.readline().split()[1])
        headers: dict[str, str] = {}
        while line := reply.readline().strip():
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, reply.read(int(headers.get("content-length", "0")))


def head(server: Server, path: str, *lines: str) -> str:
    return "".join(
        [f"POST {path} HTTP/1.1\r\n", f"Host: 127.0.0.1:{server.port}\r\n"]
        + [f"{line}\r\n" for line in lines]
        + ["\r\n"]
    )


def chunked(data: bytes, size: int = 16 * 1024, *, last: bool = True) -> list[bytes]:
    parts = [
        f"{len(data[i : i + size]):x}\r\n".encode() + data[i : i + size] + b"\r\n"
        for i in range(0, len(data), size)
    ]
    return [*parts, b"0\r\n\r\n"] if last else parts


def comment_json(seed: dict, body: str) -> bytes:
    return json.dumps({"thread": seed["thread"], "body": body}).encode()


def api_head(server: Server, seed: dict, *lines: str) -> str:
    return head(
        server,
        "/api/v1/comments",
        "Content-Type: application/json",
        f"Authorization: Bearer {seed['token']}",
        *lines,
    )


def test_a_chunked_comment_under_the_cap_is_read_whole(world):
    server, seed = world
    body = comment_json(seed, "Sent in chunks, " + "word " * 900)
    assert len(body) < API_CAP

    status, _, raw = exchange(
        server, api_head(server, seed, "Transfer-Encoding: chunked"), chunked(body, 1000)
    )

    assert status == 201, raw
    assert "Sent in chunks" in json.loads(raw)["html"]


def test_a_chunked_api_body_past_the_cap_is_refused_without_reading_the_rest(world):
    server, seed = world
    # One part past the cap, and no final chunk: the body never ends.
    parts = chunked(b"x" * (API_CAP + 16 * 1024), last=False)

    status, headers, raw = exchange(
        server, api_head(server, seed, "Transfer-Encoding: chunked"), parts
    )

    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(raw) == {
        "error": "too_large",
        "detail": f"The request body is larger than {API_CAP} bytes.",
    }


def test_an_api_body_declared_past_the_cap_is_refused_before_it_is_sent(world):
    server, seed = world

    status, _, raw = exchange(server, api_head(server, seed, f"Content-Length: {API_CAP + 1}"), [])

    assert status == 413
    assert json.loads(raw)["error"] == "too_large"


def test_a_chunked_page_body_past_the_cap_is_refused_without_reading_the_rest(world):
    server, _ = world
    parts = chunked(b"x" * (PAGE_CAP + 64 * 1024), 64 * 1024, last=False)
    lines = ["Content-Type: multipart/form-data; boundary=b", "Transfer-Encoding: chunked"]

    status, headers, raw = exchange(server, head(server, "/accounts/profile/", *lines), parts)

    assert status == 413
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert raw.decode() == (
        "What you sent is larger than 2.7 MB, the most this site accepts. "
        "Go back and choose a smaller picture."
    )


def test_a_page_body_declared_past_the_cap_is_refused_before_it_is_sent(world):
    server, _ = world
    lines = ["Content-Type: multipart/form-data; boundary=b", f"Content-Length: {PAGE_CAP + 1}"]

    status, _, _ = exchange(server, head(server, "/accounts/profile/", *lines), [])

    assert status == 413


def test_a_form_with_a_picture_at_the_limit_reaches_the_page(world):
    server, _ = world
    picture = b"\x89PNG\r\n\x1a\n" + b"\0" * (2_000_000 - 8)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="display_name"\r\n\r\nAlice\r\n'
        b'--b\r\nContent-Disposition: form-data; name="avatar"; filename="me.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + picture + b"\r\n--b--\r\n"
    )
    lines = ["Content-Type: multipart/form-data; boundary=b", f"Content-Length: {len(body)}"]

    status, _, _ = exchange(server, head(server, "/accounts/register/", *lines), [body])

    # Django's CSRF check answers: the gateway let the whole form through.
    assert status == 403
