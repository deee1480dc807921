"""A task that follows from writes exists if and only if they commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.tasks import send_email
from soundoff.lib.queueing import enqueue_with_writes

MESSAGE = {"subject": "Hello", "body": "A reply to your comment", "to": ["reader@example.org"]}


class RolledBack(Exception):
    pass


def test_with_the_database_backend_the_task_is_a_row_of_the_callers_transaction(db):
    with transaction.atomic():
        enqueue_with_writes(send_email, **MESSAGE)
        # Written now, not after the commit: no crash in between can lose it.
        queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("send_email")
    assert queued.args_kwargs["kwargs"] == MESSAGE


def test_with_the_database_backend_a_rolled_back_transaction_leaves_no_task(db):
    with pytest.raises(RolledBack), transaction.atomic():
        enqueue_with_writes(send_email, **MESSAGE)
        raise RolledBack
    assert not DBTaskResult.objects.exists()


def test_another_backend_runs_the_task_only_after_the_commit(
    db, tasks_at_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_with_writes(send_email, **MESSAGE)
        assert mail.outbox == []
    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_another_backend_never_runs_the_task_of_a_rolled_back_transaction(
    db, tasks_at_once, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RolledBack),
        transaction.atomic(),
    ):
        enqueue_with_writes(send_email, **MESSAGE)
        raise RolledBack
    assert mail.outbox == []
