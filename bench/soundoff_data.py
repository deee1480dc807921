"""Soundoff's side of the seeding, run inside ``manage.py shell``:

    BENCH_ARGS='{"action": "prepare"}' manage.py shell --no-imports \
        -c "from bench import soundoff_data; soundoff_data.main()"

prints one line of JSON. Accounts and posts are made here (the API makes
neither); comments go through the HTTP API, except for the bulk loads that
the benchmark makes on both systems alike (bench/isso_bulk.py is Isso's).
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from bench import dataset
from soundoff.accounts.models import PolicyKind, User
from soundoff.accounts.queries import current_policies
from soundoff.accounts.services import accept_policies
from soundoff.api.tokens import issue_token
from soundoff.discussion.models import Comment, CommentStatus, Thread
from soundoff.lib.text import render_comment
from soundoff.newsroom.models import Post, PostStatus
from soundoff.newsroom.services import save_post


def readers() -> list[User]:
    found = []
    policies = current_policies().values()
    for k in range(dataset.READERS):
        user, created = User.objects.get_or_create(
            email=f"bench-reader-{k + 1}@example.org",
            # Invented addresses: nobody could open a confirmation link.
            defaults={"display_name": f"Reader {k + 1}", "email_verified_at": timezone.now()},
        )
        if created:
            user.set_unusable_password()
            user.save()
            accept_policies(user, documents=policies)
        found.append(user)
    return found


def post_thread(thread: dataset.Thread) -> Thread:
    post = Post.objects.filter(slug=thread.key).first()
    if post is None:
        post = save_post(
            Post(
                headline=f"Benchmark story {thread.key}",
                slug=thread.key,
                byline="By the Benchmark Desk",
                body="The river rose overnight.\n\n> Stay off the river road.",
                status=PostStatus.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
            )
        )
    return Thread.objects.get(post=post)


def prepare() -> dict[str, Any]:
    """Readers with tokens, and the posts of the read and write threads."""
    tokens = [issue_token(user) for user in readers()]
    threads = [*dataset.read_threads(), dataset.write_thread()]
    return {
        "tokens": tokens,
        "threads": {thread.key: post_thread(thread).pk for thread in threads},
    }


def bulk(threads: list[dataset.Thread]) -> dict[str, Any]:
    """Write whole threads straight into the database, as seeding would via
    the API but without the requests: posts, comments with their rendered
    HTML, replies under their parents, and each thread's count and version."""
    users = readers()
    ids = {spec.key: _bulk_thread(spec, users) for spec in threads}
    return {"threads": ids, "comments": Comment.objects.count()}


def _bulk_thread(spec: dataset.Thread, users: list[User]) -> int:
    policies = current_policies()
    thread = post_thread(spec)
    start = timezone.now() - timedelta(seconds=spec.size)
    pks: dict[int, int] = {}

    def row(n: int) -> Comment:
        above = dataset.parent(n)
        parent_pk = pks[above] if above is not None else None
        body = dataset.text(spec, n)
        return Comment(
            thread=thread,
            parent_id=parent_pk,
            root_id=parent_pk,
            depth=1 if parent_pk else 0,
            author=users[dataset.author(n)],
            body=body,
            body_html=render_comment(body),
            status=CommentStatus.VISIBLE,
            created_at=start + timedelta(seconds=n),
            terms_version=policies[PolicyKind.TERMS],
            privacy_version=policies[PolicyKind.PRIVACY],
        )

    top = [n for n in range(spec.size) if dataset.parent(n) is None]
    replies = [n for n in range(spec.size) if dataset.parent(n) is not None]
    with transaction.atomic():
        for tier in (top, replies):  # parents first, so replies can name them
            for first in range(0, len(tier), 2_000):
                batch = tier[first : first + 2_000]
                made = Comment.objects.bulk_create([row(n) for n in batch])
                pks.update({n: c.pk for n, c in zip(batch, made, strict=True)})
        Thread.objects.filter(pk=thread.pk).update(
            comment_count=F("comment_count") + spec.size, version=F("version") + 1
        )
    return thread.pk


def census() -> dict[str, Any]:
    return {
        "comments": Comment.objects.count(),
        "counted": Thread.objects.aggregate(n=Sum("comment_count"))["n"] or 0,
    }


def commit_limit(*, threads: int, seconds: float) -> dict[str, Any]:
    """The durable-commit limit: bare insert-and-commit transactions on the
    same database, through the same connection settings (on SQLite: WAL,
    synchronous=FULL, BEGIN IMMEDIATE), by ``threads`` writers at once.
    No request, no ORM model, no pipeline: nothing a comment could skip."""
    serial = "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "BIGSERIAL PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS bench_commit_limit (id {serial}, body TEXT)")
    body = dataset.text(dataset.write_thread(), 0)
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def writer() -> None:
        mine = []
        try:
            for _ in range(100_000):
                if time.perf_counter() > deadline:
                    break
                began = time.perf_counter()
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO bench_commit_limit (body) VALUES (%s)", [body])
                mine.append(time.perf_counter() - began)
        finally:
            connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    cpu_before = time.process_time()
    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_commit_limit")
    latencies.sort()
    return {
        "concurrency": threads,
        "ok": len(latencies),
        "elapsed": round(elapsed, 3),
        "rate": round(len(latencies) / elapsed, 1),
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "cpu_ms": round(cpu / max(1, len(latencies)) * 1000, 3),
        "vendor": connection.vendor,
    }


def main() -> None:
    args = json.loads(os.environ.get("BENCH_ARGS", "{}"))
    action = args.get("action")
    if action == "prepare":
        out = prepare()
    elif action == "bulk":
        out = bulk([dataset.Thread(key, size) for key, size in args["threads"]])
    elif action == "commit_limit":
        out = commit_limit(threads=int(args["threads"]), seconds=float(args["seconds"]))
    elif action == "census":
        out = census()
    else:
        raise SystemExit(f"Unknown action {action!r}: use prepare, bulk, commit_limit or census.")
    print(json.dumps(out))
