"""The requests the benchmark sends, the same shape for seeding, load and bench/live.

Soundoff's reads are what the embed and a reader ask for; Isso's are what
its client asks for, which is always the whole thread. Writes carry the
data set's text for the n-th comment plus a run marker, so no two are alike.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlencode

from bench import dataset, load

JSON = {"Content-Type": "application/json"}


def soundoff_post(payload: dict[str, object], *, token: str, key: str) -> load.Request:
    """``POST /api/v1/comments`` as a signed-in reader; ``key`` is the
    Idempotency-Key, which makes a retry safe."""
    headers = {**JSON, "Authorization": f"Bearer {token}", "Idempotency-Key": key}
    return load.Request("POST", "/api/v1/comments", headers, json.dumps(payload).encode())


def post_one_comment(
    port: int, thread_id: int, *, token: str, body: str, ok: frozenset[int]
) -> bool:
    """Post one comment to the Soundoff on ``port`` as the reader ``token``
    names, once, within 30 seconds; whether its status is one of ``ok``."""
    request = soundoff_post(
        {"thread": thread_id, "body": body}, token=token, key=str(uuid.uuid4())
    )
    result = load.run(
        port,
        lambda n: request,
        concurrency=1,
        duration=30,
        max_requests=1,
        timeout=30,
        ok=ok,
    )
    return result.ok > 0


def isso_post(thread: dataset.Thread, payload: dict[str, object]) -> load.Request:
    """``POST /new?uri=…`` with the title given, so Isso doesn't fetch the
    page to learn it."""
    payload = {"title": f"Benchmark {thread.key}", **payload}
    return load.Request(
        "POST", f"/new?uri={dataset.isso_uri(thread)}", JSON, json.dumps(payload).encode()
    )


def isso_count(threads: list[dataset.Thread]) -> load.Request:
    """Isso's ``POST /count``: the comment counts of several pages at once."""
    body = json.dumps([dataset.isso_uri(t) for t in threads]).encode()
    return load.Request("POST", "/count", JSON, body)


def soundoff_counts(threads: list[dataset.Thread]) -> load.RequestFactory:
    query = urlencode([("url", dataset.page_url(t)) for t in threads])
    return load.get(f"/api/v1/counts?{query}")


def api_read(thread_id: int) -> load.RequestFactory:
    # What the embed widget asks for first: the oldest 20, replies windowed.
    return load.get(f"/api/v1/threads/{thread_id}/comments?sort=oldest&limit=20")


def page_read(size: int) -> load.RequestFactory:
    return load.get(f"/posts/bench-{size}/")


def isso_read(size: int) -> load.RequestFactory:
    return load.get(f"/?uri=/posts/bench-{size}/")


def soundoff_write(thread_id: int, tokens: list[str]) -> load.RequestFactory:
    spec = dataset.write_thread()
    run = uuid.uuid4().hex[:8]

    def make(n: int) -> load.Request:
        return soundoff_post(
            {"thread": thread_id, "body": f"{dataset.text(spec, n)} [{run}-{n}]"},
            token=tokens[dataset.author(n)],
            key=str(uuid.uuid4()),
        )

    return make


def isso_write() -> load.RequestFactory:
    spec = dataset.write_thread()
    run = uuid.uuid4().hex[:8]

    def make(n: int) -> load.Request:
        text = f"{dataset.text(spec, n)} [{run}-{n}]"
        return isso_post(spec, {"text": text, "author": dataset.author_name(n)})

    return make
