"""Queueing a task that follows from the caller's writes."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import Task
from django_tasks_db.backend import DatabaseBackend


def enqueue_with_writes(task: Task[Any, Any], **kwargs: Any) -> None:
    """Queue ``task`` so that it exists if, and only if, the caller's
    transaction commits.

    With the database backend (every deployment: settings.TASKS) the task
    is a row of the same database, written now, in the caller's transaction:
    it commits with the writes it follows from, and no crash between the
    commit and an on_commit callback can lose it (a mail to moderators, a
    reader's notice). Any other backend (the tests' immediate backend runs
    the task at once) gets it after the commit, so that the task never acts
    on writes that are rolled back.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, **kwargs))
