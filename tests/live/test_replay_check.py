"""The look-up a replay makes before it sends comments' text (streams.py).

What the replay leaves out is proved in tests/security/
test_comment_visibility.py; here, that streams asking together share one
look-up, and only one that starts after they asked.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from django.conf import settings
from django.db import connection

from soundoff.discussion import services
from soundoff.live import lookups, streams
from testkit.cast import CLIENT
from testkit.streams import run_async


@pytest.mark.django_db(transaction=True)
def test_streams_asking_together_share_a_check_that_starts_after_they_asked(post, alice):
    shown = services.post_comment(post.thread, author=alice, body="Shown.", client=CLIENT)
    gone = services.post_comment(post.thread, author=alice, body="Gone.", client=CLIENT)
    services.delete_comment(gone.comment, by=alice)
    asked = frozenset({shown.comment.pk, gone.comment.pk})

    async def scenario() -> tuple[set[int], set[int], set[int]]:
        loop = asyncio.get_running_loop()
        # The one thread of the stream's reads, kept busy until both
        # streams have asked.
        gate = threading.Event()
        busy = loop.run_in_executor(lookups.READS, gate.wait)
        first = asyncio.ensure_future(streams.hidden_now_shared(asked))
        second = asyncio.ensure_future(streams.hidden_now_shared(asked))
        # Both tasks run up to their wait for the one thread.
        await asyncio.sleep(0)
        gate.set()
        await busy
        together = (await first, await second)
        later = await streams.hidden_now_shared(asked)
        return (*together, later)

    first, second, later = run_async(scenario())
    assert first == {gone.comment.pk}
    assert second is first
    assert later == first and later is not first


@pytest.mark.django_db(transaction=True)
def test_the_stream_reads_keep_their_connection_as_the_settings_say(post):
    def read_then_connection() -> object:
        assert lookups.load_thread(post.thread.pk) is not None
        return connection.connection

    first, second = (lookups.READS.submit(read_then_connection).result() for _ in range(2))
    if settings.DATABASES["default"]["CONN_MAX_AGE"] is None:
        # SQLite's is opened once, not at every read.
        assert first is not None and second is first
    else:
        # PostgreSQL's goes back to the pool after each read.
        assert first is None and second is None
