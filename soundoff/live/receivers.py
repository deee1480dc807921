"""The discussion's comment_changed signal, turned into a live event.

Building an event reads the comment and renders the page's partial for
it, several milliseconds that the reader who posted should not wait for.
So the receiver hands each committed change to this process's publisher,
one thread that builds and publishes the events in the order it is given
them: each event is rendered once, by the process that made the change,
off the request thread, and the streams of every worker and instance
receive the rendered event from the broker.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from typing import Any

from django.db import connection, connections

from .broker import get_broker
from .events import build_event

logger = logging.getLogger(__name__)

# Seconds a process that is exiting waits for the events still queued.
EXIT_WAIT = 5.0


def publish_change(sender: Any, *, comment_id: int, change: str, **kwargs: Any) -> None:
    """Publish what readers should see of a committed change.

    Sent after commit. Inside an enclosing transaction (a test's, or a
    command's that sent it from a nested on_commit) the rows are visible
    to this connection only, so the event is built here and now.
    """
    if connection.in_atomic_block:
        publish_now(comment_id, change)
    else:
        publisher.submit(comment_id, change)


def publish_now(comment_id: int, change: str) -> None:
    """Build and publish one event. A live update that can't go out must
    never turn a saved comment into an error, so failures are logged only."""
    try:
        event = build_event(comment_id=comment_id, change=change)
        if event is not None:
            get_broker().publish(event)
    except Exception:
        logger.exception("Live update for comment %s (%s) was not published.", comment_id, change)


class Publisher:
    """One thread per process that publishes changes in order."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # Changes submitted and not yet published, for flush().
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, comment_id: int, change: str) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                # Started on first use, so a forked worker starts its own.
                self._thread = threading.Thread(
                    target=self._run, name="soundoff-live-publisher", daemon=True
                )
                self._thread.start()
        with self._idle:
            self._pending += 1
        self._queue.put((comment_id, change))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every change submitted so far is published; False
        when ``timeout`` passed first. Starts no thread, so it works at
        exit, when Python refuses new ones."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            comment_id, change = self._queue.get()
            try:
                publish_now(comment_id, change)
            finally:
                if self._queue.empty():
                    # Idle: give the connection back (to PostgreSQL's pool),
                    # rather than hold it open between bursts.
                    connections.close_all()
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


publisher = Publisher()
atexit.register(publisher.flush, EXIT_WAIT)
