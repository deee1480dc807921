"""soundoff.lib.prepared_write: an update the ORM writes once, run with new values."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soundoff.discussion.models import Thread
from soundoff.lib.prepared_write import PreparedUpdate

THEN = datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC)


def _bump(built=None) -> PreparedUpdate:
    def build(thread_id, mode, since, delta):
        if built is not None:
            built.append(thread_id)
        # ``since`` twice: a stand-in may take several places.
        threads = Thread.objects.filter(
            pk=thread_id, mode=mode, created_at__gte=since, changed_at__gte=since
        )
        return threads, {"comment_count": F("comment_count") + delta}

    return PreparedUpdate(build, thread_id=918_273_645, mode="stand-in", since=THEN, delta=2**40)


def _values(thread, **more):
    long_ago = timezone.now() - timedelta(days=1)
    return {"thread_id": thread.pk, "mode": thread.mode, "since": long_ago, "delta": 3, **more}


def test_it_updates_the_rows_the_values_pick_and_counts_them(thread):
    update = _bump()
    assert update.run(_values(thread)) == 1
    assert Thread.objects.get(pk=thread.pk).comment_count == thread.comment_count + 3


@pytest.mark.parametrize(
    "other",
    [
        {"mode": "closed"},
        {"since": timezone.now() + timedelta(days=1)},
        {"thread_id": 2**70},  # no column holds it
    ],
)
def test_it_changes_nothing_when_the_values_pick_no_row(thread, other):
    assert _bump().run(_values(thread, **other)) == 0
    assert Thread.objects.get(pk=thread.pk).comment_count == thread.comment_count


def test_it_is_one_statement_and_the_orm_writes_it_once(thread):
    built: list[int] = []
    update = _bump(built)
    update.run(_values(thread))
    with CaptureQueriesContext(connection) as queries:
        update.run(_values(thread, delta=-1))
    assert len(queries) == 1
    assert built == [918_273_645]
    assert Thread.objects.get(pk=thread.pk).comment_count == thread.comment_count + 2


def test_a_stand_in_missing_from_the_statement_is_named(thread):
    update = PreparedUpdate(
        lambda thread_id, unused: (Thread.objects.filter(pk=thread_id), {"title": "x"}),
        thread_id=918_273_645,
        unused="never-used",
    )
    with pytest.raises(ValueError, match="'unused'"):
        update.run({"thread_id": thread.pk, "unused": "x"})
