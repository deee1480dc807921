"""Seeding both systems with the same comments: through their HTTP APIs, or
in bulk, alike, straight into both databases.

Over HTTP, Soundoff: ``POST /api/v1/comments`` with a reader's bearer token and an
Idempotency-Key derived from the comment's place in the data set, so a
retried seed never posts twice. Isso: ``POST /new?uri=…`` with the title
given, so Isso doesn't fetch the page to learn it. Parents are posted
before their replies; the first comment of a thread goes alone, because
both systems create the thread on it.

In bulk, Soundoff's comments are made through the ORM in ``manage.py shell``
(bench/soundoff_data.py) and Isso's written into its SQLite file with its
own columns and Bloom filter (bench/isso_bulk.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import dataset, isso_server, load, shapes
from bench.harness import Bench

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
        return shapes.soundoff_post(
            payload, token=tokens[dataset.author(n)], key=dataset.submission_key(thread, n)
        )

    return Target(port, request, frozenset({201, 202}), attempts=3)


def isso(port: int) -> Target:
    def request(thread: dataset.Thread, n: int, parent_id: int | None) -> load.Request:
        return shapes.isso_post(
            thread,
            {
                "text": dataset.text(thread, n),
                "author": dataset.author_name(n),
                "parent": parent_id,
            },
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


# --- the steps of a run -----------------------------------------------------------


def over_http(bench: Bench, specs: list[dataset.Thread], *, concurrency: int = 16) -> None:
    assert bench.soundoff and bench.isso
    targets = {
        "soundoff": soundoff(bench.soundoff.port, bench.tokens, bench.thread_ids),
        "isso": isso(bench.isso.port),
    }
    for name, target in targets.items():
        started = time.perf_counter()
        for spec in specs:
            thread(target, spec, concurrency=concurrency)
        took = time.perf_counter() - started
        comments = sum(spec.size for spec in specs)
        bench.say(f"  seeded {comments} comments into {name} over HTTP in {took:.1f} s")
        bench.results["notes"].setdefault("seeding", []).append(
            {"system": name, "comments": comments, "seconds": round(took, 1), "via": "http"}
        )


def twenty_k_over_http(bench: Bench) -> bool:
    """--seed-20k auto: over HTTP when the rates just measured while
    seeding 2,210 comments say both systems take 20,000 in 4 minutes."""
    choice = bench.args.seed_20k
    if choice == "auto":
        seeded = [s for s in bench.results["notes"]["seeding"] if s["comments"] > 1_000]
        minutes = sum(20_000 * s["seconds"] / s["comments"] for s in seeded) / 60
        choice = "http" if minutes <= 4 else "bulk"
        bench.note("seed_20k", f"auto: HTTP would take about {minutes:.1f} minutes, so {choice}")
        bench.say(f"  {bench.results['notes']['seed_20k']}")
    return choice == "http"


def _bulk_load(
    bench: Bench, soundoff_specs: list[dataset.Thread], isso_specs: list[dataset.Thread]
) -> tuple[float, float]:
    """Both databases loaded in bulk; the seconds each took."""
    started = time.perf_counter()
    bench.soundoff_data(action="bulk", threads=[[s.key, s.size] for s in soundoff_specs])
    soundoff_took = time.perf_counter() - started
    started = time.perf_counter()
    isso_server.bulk_load(bench.dir, isso_specs)
    return soundoff_took, time.perf_counter() - started


def in_bulk(bench: Bench, specs: list[dataset.Thread]) -> None:
    soundoff_took, isso_took = _bulk_load(bench, specs, specs)
    comments = sum(s.size for s in specs)
    bench.say(
        f"  bulk-loaded {comments} comments: Soundoff {soundoff_took:.1f} s, "
        f"Isso {isso_took:.1f} s"
    )
    bench.results["notes"].setdefault("seeding", []).append(
        {"system": "both", "comments": comments, "via": "bulk"}
    )
    # New threads: Soundoff's ids are needed to read them.
    bench.thread_ids.update(bench.soundoff_data(action="prepare")["threads"])


def fill_to_100k(bench: Bench) -> None:
    """Fill each database to 100,000 with the same filler threads; the
    write benchmark left each with a different number of comments."""
    soundoff_fill = dataset.filler_threads(bench.soundoff_data(action="census")["comments"])
    isso_fill = dataset.filler_threads(isso_server.comment_count(bench.dir))
    soundoff_took, isso_took = _bulk_load(bench, soundoff_fill, isso_fill)
    bench.say(
        f"  bulk-loaded {len(soundoff_fill)} / {len(isso_fill)} filler threads: "
        f"Soundoff {soundoff_took:.1f} s, Isso {isso_took:.1f} s"
    )


def verify(bench: Bench, specs: list[dataset.Thread]) -> None:
    """Both systems hold every seeded comment, counted as each counts."""
    assert bench.soundoff and bench.isso
    for spec in specs:
        thread_id = bench.thread_ids[spec.key]
        ours = bench.fetch(bench.soundoff, load.Request("GET", f"/api/v1/threads/{thread_id}"))
        theirs = bench.fetch(bench.isso, shapes.isso_count([spec]))
        soundoff_count = json.loads(ours.body)["comment_count"] if ours else None
        isso_count = json.loads(theirs.body)[0] if theirs else None
        if soundoff_count != spec.size or isso_count != spec.size:
            raise SeedingFailed(
                f"{spec.key} should hold {spec.size} comments; "
                f"Soundoff counts {soundoff_count}, Isso {isso_count}"
            )


def census(bench: Bench, label: str) -> None:
    soundoff_count = bench.soundoff_data(action="census")["comments"]
    isso_count = isso_server.comment_count(bench.dir)
    bench.note(f"comments/{label}", {"soundoff": soundoff_count, "isso": isso_count})
    bench.say(
        f"  comments in the databases ({label}): Soundoff {soundoff_count}, Isso {isso_count}"
    )
