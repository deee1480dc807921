"""The stream endpoint's reads of the database, made on one thread of their own.

A stream reads little: its thread's version and count when it opens, which
comments of a replay are still visible, and whether an embedding page's
origin may open one. Run in whichever thread of the event loop's default
executor was free, each read opened a connection and closed it again:
1.39 ms of CPU a replay check, against 0.25 ms on a connection kept
(SQLite, 20 comments, 300 checks). They run on ``READS``, one thread that
keeps its connection as a request thread does between requests: SQLite's
for good (CONN_MAX_AGE=None), PostgreSQL's handed back to the pool after
each read (CONN_MAX_AGE=0), and any connection that broke replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import wraps

from django.db import connection

from soundoff.discussion.models import Thread

from .events import not_visible_now

# Threads start at the first read, in the worker: none before the fork.
READS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-reads")


def _on_kept_connection[**P, R](read: Callable[P, R]) -> Callable[P, R]:
    @wraps(read)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return read(*args, **kwargs)
        finally:
            connection.close_if_unusable_or_obsolete()

    return run


@dataclass(frozen=True)
class ThreadState:
    version: int
    count: int


@_on_kept_connection
def load_thread(thread_id: int) -> ThreadState | None:
    """The thread's version and count, if readers may see it."""
    thread = Thread.objects.select_related("post").filter(pk=thread_id).first()
    if thread is None or not thread.is_public:
        return None
    return ThreadState(version=thread.version, count=thread.comment_count)


@_on_kept_connection
def hidden_now(comment_ids: frozenset[int]) -> set[int]:
    return not_visible_now(comment_ids)


@_on_kept_connection
def origin_allowed(origin: str) -> bool:
    from soundoff.embed.origins import is_allowed

    return is_allowed(origin)
