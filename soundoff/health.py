"""``/healthz``: what a load balancer asks before sending readers here.

It answers 200 when this instance can serve: the database answers, the
shared cache (the SQLite file the workers of this machine share, or Redis
with REDIS_URL: rate limits live there) stores and returns a value, and
the task worker is keeping up. It answers 503 otherwise, naming what
failed, so that the balancer takes the instance out and the operator
knows where to look. Nothing personal is in the answer, and it is never
cached.

The worker has no heartbeat of its own (django-tasks-db's ``db_worker``
records none), so the check reads what a heartbeat would stand for: no task
that is due has waited longer than ``SOUNDOFF_WORKER_MAX_WAIT`` seconds. A
worker that died, hangs or cannot keep up fails it alike; an idle worker
with nothing due passes.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Case, F, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

OK = "ok"
logger = logging.getLogger(__name__)


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def shared_cache() -> str:
    key = f"soundoff:healthz:{secrets.token_hex(8)}"
    cache = caches["shared"]
    cache.set(key, 1, timeout=10)
    stored = cache.get(key)
    cache.delete(key)
    return OK if stored == 1 else "the cache did not return what was stored"


def worker() -> str:
    oldest = _oldest_due_task_since()
    if oldest is None:
        return OK
    waited = int((timezone.now() - oldest).total_seconds())
    if waited <= settings.SOUNDOFF_WORKER_MAX_WAIT:
        return OK
    return (
        f"a task has waited {waited} s to run (more than SOUNDOFF_WORKER_MAX_WAIT); "
        "is the task worker (manage.py db_worker, started by bin/run) running?"
    )


def _oldest_due_task_since() -> datetime | None:
    """When the longest-waiting due task became due: its enqueue time, or its
    ``run_after`` when it was scheduled for later (django-tasks-db stores
    "no run_after" as the year 9999)."""
    due_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    return (
        DBTaskResult.objects.ready()
        .annotate(due_since=due_since)
        .order_by("due_since")
        .values_list("due_since", flat=True)
        .first()
    )


CHECKS: dict[str, Callable[[], str]] = {
    "database": database,
    "cache": shared_cache,
    "worker": worker,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # any failure is the answer
            # The details (host names, ports) go to the log, not to whoever
            # can reach the URL.
            logger.exception("Health check %r failed", name)
            results[name] = f"unreachable ({type(error).__name__}); see the server log"
    healthy = all(result == OK for result in results.values())
    return JsonResponse(
        {"status": OK if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
