import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.moderation.test_views_queue import _build_queue, moderator  # noqa
def test_q(client, moderator):
    client.force_login(moderator)
    _build_queue(30)
    with CaptureQueriesContext(connection) as q:
        client.get(reverse("moderation:queue_named", args=["reported"]))
    for x in q.captured_queries: print(x["sql"][:300])
