"""Running pieces of work at the same instant, each on its own database
connection, and seeing where threads are stopped."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence

from django.db import connection


def run_at_once[T](tasks: Sequence[Callable[[], T]]) -> list[T | Exception]:
    """Run every task in a thread of its own, all released together from a
    barrier; answers each task's result, or the exception it raised, in the
    order of ``tasks``. Each thread closes its own database connection."""
    start = threading.Barrier(len(tasks))
    outcomes: dict[int, T | Exception] = {}

    def run(index: int) -> None:
        try:
            start.wait(timeout=60)
            outcomes[index] = tasks[index]()
        except Exception as error:  # a thread's exception is lost unless kept
            outcomes[index] = error
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(index,)) for index in range(len(tasks))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)  # generous: a loaded CI machine is slow, not wrong
        if worker.is_alive():
            raise AssertionError("a task running at once did not finish within 120 s")
    return [outcomes[index] for index in range(len(tasks))]


def stopped_in(
    threads: Sequence[threading.Thread], function: str, *, called_from: str | None = None
) -> int:
    """How many of ``threads`` are, at this instant, in ``function`` (its
    qualified name) and in no Python function below it, called from
    ``called_from`` if given: how a test sees that threads are blocked where
    it expects them (on a lock, in a condition's wait) when nothing tells it."""
    frames = sys._current_frames()
    stopped = 0
    for thread in threads:
        frame = frames.get(thread.ident or 0)
        if frame is None or frame.f_code.co_qualname != function:
            continue
        caller = frame.f_back
        stopped += called_from is None or (
            caller is not None and caller.f_code.co_qualname == called_from
        )
    return stopped
