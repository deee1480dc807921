"""Seeding both systems through their HTTP APIs, with the same comments.

Soundoff: ``POST /api/v1/comments`` with a reader's bearer token and an
Idempotency-Key derived from the comment's place in the data set, so a
retried seed never posts twice. Isso: ``POST /new?uri=…`` with the title
given, so Isso doesn't fetch the page to learn it. Parents are posted
before their replies; the first comment of a thread goes alone, because
both systems create the thread on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from bench import dataset, load

SEED_CONCURRENCY = 16
SEED_SECONDS = 900.0  # a bound, not a target


class SeedingFailed(RuntimeError):
    pass


@dataclass
class Target:
    """How one system posts the n-th comment of a thread."""

    port: int
    request: Callable[[dataset.Thread, int, int | None], load.Request]
    ok: frozenset[int]
    # Soundoff's keys make a retry safe; Isso has no such key, so a retry
    # there could post a comment twice.
    attempts: int = 1


def soundoff(port: int, tokens: list[str], thread_ids: dict[str, int]) -> Target:
    def request(thread: dataset.Thread, n: int, parent_id: int | None) -> load.Request:
        payload: dict[str, object] = {"body": dataset.text(thread, n), "parent": parent_id}
        if thread.key in thread_ids:
            payload["thread"] = thread_ids[thread.key]
        else:
            payload["page_url"] = dataset.page_url(thread)
            payload["title"] = f"Benchmark page {thread.key}"
        return load.Request(
            "POST",
            "/api/v1/comments",
            {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {tokens[dataset.author(n)]}",
                "Idempotency-Key": dataset.submission_key(thread, n),
            },
            json.dumps(payload).encode(),
        )

    return Target(port, request, frozenset({201, 202}), attempts=3)


def isso(port: int) -> Target:
    def request(thread: dataset.Thread, n: int, parent_id: int | None) -> load.Request:
        payload = {
            "text": dataset.text(thread, n),
            "author": dataset.author_name(n),
            "title": f"Benchmark {thread.key}",
            "parent": parent_id,
        }
        return load.Request(
            "POST",
            f"/new?uri={dataset.isso_uri(thread)}",
            {"Content-Type": "application/json"},
            json.dumps(payload).encode(),
        )

    return Target(port, request, frozenset({201, 202}))


def thread(target: Target, spec: dataset.Thread, *, concurrency: int = SEED_CONCURRENCY) -> int:
    """Post every comment of ``spec``; returns how many requests it took."""
    ids: dict[int, int] = {}
    sent = 0
    top = [n for n in range(spec.size) if dataset.parent(n) is None]
    replies = [n for n in range(spec.size) if dataset.parent(n) is not None]
    for batch, width in (([0], 1), (top[1:], concurrency), (replies, concurrency)):
        todo = list(batch)
        for _attempt in range(target.attempts):
            if not todo:
                break

            def make(i: int, todo: list[int] = todo) -> load.Request:
                n = todo[i]
                above = dataset.parent(n)
                return target.request(spec, n, ids[above] if above is not None else None)

            def observe(
                i: int, request: load.Request, response: load.Response, todo: list[int] = todo
            ) -> None:
                if response.status in target.ok:
                    ids[todo[i]] = json.loads(response.body)["id"]

            load.run(
                target.port,
                make,
                concurrency=min(width, len(todo)),
                duration=SEED_SECONDS,
                max_requests=len(todo),
                timeout=60,
                ok=target.ok,
                observe=observe,
            )
            sent += len(todo)
            todo = [n for n in todo if n not in ids]
        if todo:
            raise SeedingFailed(f"{len(todo)} comments of {spec.key} could not be posted")
    return sent
