"""POST /api/v1/comments holds the write lock only for the writes.

SQLite opens every transaction with BEGIN IMMEDIATE (settings.py), so any
statement inside ``transaction.atomic()`` runs under the database's one
write lock, and every other writer waits for it. The moderation pipeline
only reads, so it runs before the transaction: these tests pin the
statements that run inside it, counted on a real (not test-wrapped)
transaction.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from uuid import uuid4

import pytest
from django.db import connection

from testkit.cast import make_post, make_reader

URL = "/api/v1/comments"


@dataclass
class Statements:
    inside: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@contextmanager
def statements() -> Iterator[Statements]:
    """Every statement run on the default connection, split by whether it
    ran inside a transaction (the test itself opens none)."""
    seen = Statements()

    def note(execute, sql, params, many, context):
        (seen.inside if connection.in_atomic_block else seen.outside).append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield seen


@pytest.fixture
def reader(policies):
    return make_reader("Lock Holder")


def _post(client, bearer, reader, thread, body):
    return client.post(
        URL,
        json.dumps({"thread": thread.pk, "body": body}),
        content_type="application/json",
        headers=bearer(reader),
    )


def _tables(sqls):
    return [sql.split('"')[1] for sql in sqls]


@pytest.mark.django_db(transaction=True)
def test_a_comment_writes_its_rows_and_its_scoring_task_in_one_short_transaction(
    client, bearer, reader
):
    thread = make_post().thread
    _post(client, bearer, reader, thread, "A first comment warms the caches.")
    with statements() as seen:
        response = _post(client, bearer, reader, thread, "Crews worked all night.")
    assert response.status_code == 201, response.content
    # Inside the lock: the thread's count (with the re-check of what the
    # checks read folded into its WHERE), the comment, its scoring task.
    assert [sql.split()[0] for sql in seen.inside] == ["UPDATE", "INSERT", "INSERT"]
    assert _tables(seen.inside) == [
        "discussion_thread",
        "discussion_comment",
        "django_tasks_database_dbtaskresult",
    ]
    # Before it, the reads: the token's reader, the thread, the reader's
    # acceptances and recent comments. The policies, the word lists and who
    # is sanctioned or pre-moderated come from memory (the write re-checks
    # the last two); a comment that replies to nobody needs no look for
    # reply e-mails after it. The live event is read on the publisher
    # thread's own connection.
    before_and_after = [sql for sql in seen.outside if sql != "BEGIN IMMEDIATE"]
    assert all(sql.startswith("SELECT") for sql in before_and_after), before_and_after
    assert _tables(before_and_after) == [
        "accounts_user",
        "discussion_thread",
        "accounts_policyacceptance",
        "discussion_comment",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_task_row_commits_with_the_comment(client, bearer, reader):
    from django_tasks_db.models import DBTaskResult

    thread = make_post().thread
    response = _post(client, bearer, reader, thread, "Scored after it is written.")
    assert response.status_code == 201, response.content
    task = DBTaskResult.objects.get()
    assert task.task_path == "soundoff.moderation.tasks.score_comment"
    assert task.args_kwargs["kwargs"] == {"comment_id": response.json()["id"]}


@pytest.mark.django_db(transaction=True)
def test_a_refused_comment_takes_no_write_lock(client, bearer, reader):
    thread = make_post().thread
    with statements() as seen:
        response = _post(client, bearer, reader, thread, " ")
    assert response.status_code == 422, response.content
    assert seen.inside == []
    assert "BEGIN IMMEDIATE" not in seen.outside


@pytest.mark.django_db(transaction=True)
def test_the_page_form_takes_the_same_short_transaction(client, reader):
    from django.urls import reverse

    post = make_post()
    client.force_login(reader)
    url = reverse("discussion:post_comment", args=[post.slug])
    client.post(url, {"body": "A first comment warms the caches."})
    with statements() as seen:
        response = client.post(url, {"body": "Posted from the page.", "submission_key": uuid4()})
    assert response.status_code == 303, response.content
    assert _tables(seen.inside) == [
        "discussion_thread",
        "discussion_comment",
        "django_tasks_database_dbtaskresult",
    ]
