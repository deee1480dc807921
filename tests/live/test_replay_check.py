"""The look-up a replay makes before it sends comments' text (streams.py).

What the replay leaves out is proved in tests/security/
test_comment_visibility.py; here, that streams asking together share one
look-up, and only one that starts after they asked.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from soundoff.discussion import services
from soundoff.live import streams
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
        # One thread, kept busy until both streams have asked.
        loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
        gate = threading.Event()
        busy = loop.run_in_executor(None, gate.wait)
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
