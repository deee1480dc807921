"""Keeping client data no longer than the Privacy Policy says.

Where data about readers' connections could be kept, and for how long:

- IP addresses and user agents are never written to the database. They key
  the rate limits and the live streams' per-address slots in the cache, as
  HMACs that expire with their window (an hour with the default rates).
- Sessions (the sign-in cookie's server side, and a comment typed before
  logging in) end after two weeks; Django leaves the expired rows behind,
  and this purge removes them.
- The task worker's finished results keep their arguments: the address
  each e-mail went to and the links it carried. This purge removes them
  SOUNDOFF_CLIENT_DATA_DAYS after they ran.

There is no scheduler beside the task worker, so the purge schedules
itself: each run enqueues the next one, SCHEDULE_EVERY later, with
run_after, unless one is waiting already. ``manage.py purge_client_data``
runs it at once and starts the chain; bin/run calls it on every start, so a
chain lost with a database restore starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Often enough that nothing outlives the stated number of days by more
# than an hour.
SCHEDULE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Purged:
    sessions: int
    task_results: int


def purge_client_data(*, now: datetime | None = None) -> Purged:
    """Delete expired sessions, and finished task results older than
    SOUNDOFF_CLIENT_DATA_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SOUNDOFF_CLIENT_DATA_DAYS)
    sessions, _per_model = Session.objects.filter(expire_date__lt=now).delete()
    results, _per_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return Purged(sessions=sessions, task_results=results)


@task
def purge_client_data_task() -> dict[str, int]:
    """The worker's periodic purge: run it, then schedule the next one."""
    purged = purge_client_data()
    schedule_next_purge()
    return {"sessions": purged.sessions, "task_results": purged.task_results}


def schedule_next_purge() -> bool:
    """Enqueue the next purge SCHEDULE_EVERY from now, unless one waits
    already (bin/run starting twice must not double the chain). Only the
    database backend can run a task later; with any other, nothing is
    scheduled and the operator runs the command from cron instead."""
    if not isinstance(purge_client_data_task.get_backend(), DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=purge_client_data_task.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    purge_client_data_task.using(run_after=timezone.now() + SCHEDULE_EVERY).enqueue()
    return True
