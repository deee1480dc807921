"""Client data past SOUNDOFF_CLIENT_DATA_DAYS: purged by the worker's
self-scheduling task and by manage.py purge_client_data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.retention import (
    SCHEDULE_EVERY,
    purge_client_data,
    purge_client_data_task,
)
from soundoff.accounts.tasks import send_email


def _session(*, expires_in: timedelta) -> str:
    store = SessionStore()
    store["comment_draft"] = {"thread": 1, "body": "typed before logging in"}
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    return store.session_key


def _sent_mail(*, finished_days_ago: int) -> DBTaskResult:
    """A mail in the queue, marked sent that many days ago."""
    result = send_email.enqueue(subject="Hello", body="A link", to=["reader@example.com"])
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now() - timedelta(days=finished_days_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.fixture
def data(db, settings):
    settings.SOUNDOFF_CLIENT_DATA_DAYS = 30
    return {
        "expired_session": _session(expires_in=-timedelta(minutes=1)),
        "live_session": _session(expires_in=timedelta(days=14)),
        "old_mail": _sent_mail(finished_days_ago=31),
        "recent_mail": _sent_mail(finished_days_ago=29),
        # Not sent yet, however old: it still has to go out.
        "waiting_mail": send_email.using(run_after=timezone.now() + timedelta(days=1)).enqueue(
            subject="Later", body="Later", to=["reader@example.com"]
        ),
    }


def test_old_rows_are_cleared_and_recent_ones_kept(data) -> None:
    purged = purge_client_data()
    assert (purged.sessions, purged.task_results) == (1, 1)
    assert set(Session.objects.values_list("session_key", flat=True)) == {data["live_session"]}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {
        str(data["recent_mail"].id),
        str(data["waiting_mail"].id),
    }


def test_the_setting_decides_the_age(data, settings) -> None:
    settings.SOUNDOFF_CLIENT_DATA_DAYS = 7
    assert purge_client_data().task_results == 2


def test_the_task_purges_and_schedules_the_next_run_once(data) -> None:
    purge_client_data_task.call()
    assert not DBTaskResult.objects.filter(pk=data["old_mail"].id).exists()
    [following] = DBTaskResult.objects.filter(
        task_path=purge_client_data_task.module_path, status=TaskResultStatus.READY
    )
    assert following.run_after > timezone.now() + SCHEDULE_EVERY - timedelta(minutes=1)
    # Another run (or bin/run starting again) does not double the chain.
    purge_client_data_task.call()
    call_command("purge_client_data", stdout=StringIO())
    assert DBTaskResult.objects.filter(task_path=purge_client_data_task.module_path).count() == 1


def test_the_command_reports_what_it_purged(data) -> None:
    out = StringIO()
    call_command("purge_client_data", stdout=out)
    assert out.getvalue().strip() == (
        "Purged 1 expired sessions and 1 task results older than 30 days. "
        "The next purge is scheduled."
    )
    quiet = StringIO()
    call_command("purge_client_data", "-v0", stdout=quiet)
    assert quiet.getvalue() == ""


def test_without_the_database_queue_nothing_is_scheduled(data, tasks_at_once) -> None:
    # The immediate backend would run "later" at once, forever.
    purge_client_data_task.enqueue()
    assert not DBTaskResult.objects.filter(task_path=purge_client_data_task.module_path).exists()
