"""Soundoff's settings plus, for bench/live_memory only, a way to ask each
serving process for a tracemalloc snapshot of itself.

With LIVE_MEMORY_SNAPSHOTS naming a directory, each process that loads the
settings (each granian worker) watches it: a file ``take-<label>`` appearing
there makes it write ``<pid>-<label>.snapshot`` (tracemalloc must be on in
that process: PYTHONTRACEMALLOC). Nothing else differs from soundoff.settings.
"""

import os
import threading
import time
import tracemalloc
from pathlib import Path

from soundoff.settings import *  # noqa: F403  (a bench-only overlay, nothing else)


def _answer_snapshot_requests(where: Path) -> None:
    done: set[str] = set()
    while True:
        for request in where.glob("take-*"):
            label = request.name.removeprefix("take-")
            if label not in done and tracemalloc.is_tracing():
                done.add(label)
                snapshot = tracemalloc.take_snapshot()
                partial = where / f"{os.getpid()}-{label}.partial"
                snapshot.dump(str(partial))
                partial.rename(where / f"{os.getpid()}-{label}.snapshot")
        time.sleep(0.2)


def _start_answering() -> None:
    threading.Thread(
        target=_answer_snapshot_requests,
        args=(Path(os.environ["LIVE_MEMORY_SNAPSHOTS"]),),
        name="live-memory-snapshots",
        daemon=True,
    ).start()


if os.environ.get("LIVE_MEMORY_SNAPSHOTS"):
    # soundoff.serve loads the settings in granian's supervisor, before it
    # forks the workers, and a thread does not survive a fork: each worker
    # starts its own.
    _start_answering()
    os.register_at_fork(after_in_child=_start_answering)
