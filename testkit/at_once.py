"""Running pieces of work at the same instant, each on its own database connection."""

from __future__ import annotations

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
