"""GET /api/v1/threads/{id}/comments and /api/v1/comments/{id}/replies."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soundoff.discussion.models import CommentStatus
from testkit.cast import make_post


def _url(thread):
    return f"/api/v1/threads/{thread.pk}/comments"


@pytest.fixture
def crowd(thread, alice, bob, say):
    """Nine top-level comments with ties in time and in reactions."""
    base = timezone.now() - timedelta(hours=2)
    spec = [(0, 3), (1, 0), (1, 5), (2, 3), (3, 3), (3, 0), (4, 1), (5, 5), (6, 0)]
    return [
        say(
            thread,
            alice if n % 2 else bob,
            f"Comment {n}",
            created_at=base + timedelta(minutes=m),
            reaction_count=r,
        )
        for n, (m, r) in enumerate(spec)
    ]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("oldest", lambda c: (c.created_at, c.pk)),
        ("newest", lambda c: (-c.created_at.timestamp(), -c.pk)),
        ("reactions", lambda c: (-c.reaction_count, -c.created_at.timestamp(), -c.pk)),
    ],
)
def test_keyset_pages_have_no_gaps_or_repeats(client, thread, crowd, sort, key, every_page):
    expected = [comment.pk for comment in sorted(crowd, key=key)]
    assert every_page(client, _url(thread), "id", sort=sort, limit=2) == expected
    assert every_page(client, _url(thread), "id", sort=sort, limit=4) == expected


def test_a_comment_arriving_between_pages_does_not_repeat_one(
    client, thread, crowd, alice, say, every_page
):
    first = client.get(_url(thread), {"sort": "newest", "limit": 4}).json()
    say(thread, alice, "Breaking", created_at=timezone.now())
    rest = every_page(
        client, _url(thread), "id", sort="newest", limit=4, cursor=first["next_cursor"]
    )
    seen = [item["id"] for item in first["items"]] + rest
    assert len(seen) == len(set(seen)) == len(crowd)


def test_the_default_is_oldest_first_and_counts_fit_the_schema(client, thread, crowd):
    body = client.get(_url(thread)).json()
    assert [item["id"] for item in body["items"]] == [c.pk for c in crowd]
    assert body["next_cursor"] is None
    item = body["items"][0]
    assert item["author"]["display_name"] == "Bob Reader"
    assert item["html"] == "<p>Comment 0</p>\n"
    assert item["reaction_count"] == 3


def test_replies_come_in_a_window_with_how_many_more(
    client, thread, alice, bob, say, settings, every_page
):
    settings.SOUNDOFF_REPLY_WINDOW = 3
    root = say(thread, alice, "Root")
    start = timezone.now() - timedelta(seconds=50)
    replies = [
        say(thread, bob, f"Reply {n}", parent=root, created_at=start + timedelta(seconds=n))
        for n in range(5)
    ]
    nested = say(
        thread, alice, "Nested", parent=replies[0], created_at=start + timedelta(seconds=9)
    )
    item = client.get(_url(thread)).json()["items"][0]
    assert [reply["id"] for reply in item["replies"]] == [r.pk for r in replies[:3]]
    assert item["more_replies"] == 3
    url = f"/api/v1/comments/{root.pk}/replies"
    # Oldest first, in pages; a reply whose parent came on an earlier page
    # arrives on its own, carrying its parent's id.
    assert every_page(client, url, "id", limit=2) == [*(r.pk for r in replies), nested.pk]
    whole = client.get(url, {"limit": 10}).json()["items"]
    assert [r["id"] for r in whole] == [r.pk for r in replies]
    assert [r["id"] for r in whole[0]["replies"]] == [nested.pk]
    assert whole[0]["replies"][0]["parent"] == replies[0].pk


def test_replies_of_a_reply_are_not_a_window(client, thread, alice, bob, say, error_of):
    root = say(thread, alice, "Root")
    reply = say(thread, bob, "Reply", parent=root)
    assert error_of(client.get(f"/api/v1/comments/{reply.pk}/replies"), 404) == "not_found"


def test_held_comments_and_lone_placeholders_stay_out(client, thread, alice, bob, say):
    shown = say(thread, alice, "Shown")
    say(thread, bob, "Held", status=CommentStatus.HELD)
    say(thread, bob, "Deleted", status=CommentStatus.DELETED)
    assert [item["id"] for item in client.get(_url(thread)).json()["items"]] == [shown.pk]


@pytest.mark.parametrize("sort", ["oldest", "newest", "reactions"])
def test_a_tampered_cursor_is_refused(client, thread, crowd, sort, error_of):
    cursor = client.get(_url(thread), {"sort": sort, "limit": 2}).json()["next_cursor"]
    value, signature = cursor.rsplit(":", 1)
    tampered = f"{value}:{signature[::-1]}"
    response = client.get(_url(thread), {"sort": sort, "cursor": tampered})
    assert error_of(response, 400) == "invalid_cursor"
    other_sort = "newest" if sort == "oldest" else "oldest"
    response = client.get(_url(thread), {"sort": other_sort, "cursor": cursor})
    assert error_of(response, 400) == "invalid_cursor"


def test_a_cursor_of_another_list_is_refused(client, thread, crowd, alice, say, error_of):
    cursor = client.get(_url(thread), {"limit": 2}).json()["next_cursor"]
    other = make_post(slug="other").thread
    say(other, alice)
    assert error_of(client.get(_url(other), {"cursor": cursor}), 400) == "invalid_cursor"
    replies = f"/api/v1/comments/{crowd[0].pk}/replies"
    assert error_of(client.get(replies, {"cursor": cursor}), 400) == "invalid_cursor"
    assert error_of(client.get(_url(thread), {"cursor": "garbage"}), 400) == "invalid_cursor"


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
def test_limits_out_of_bounds_are_refused(client, thread, limit, error_of):
    assert error_of(client.get(_url(thread), {"limit": limit}), 422) == "invalid"


def test_an_unknown_sort_is_refused(client, thread, error_of):
    assert error_of(client.get(_url(thread), {"sort": "random"}), 422) == "invalid"


def _queries_for_a_page(client, thread, alice, bob, say, n):
    for i in range(n):
        root = say(thread, alice, f"Top {i}")
        if i % 3 == 0:
            say(thread, bob, f"Reply to {i}", parent=root)
            say(thread, alice, f"Another to {i}", parent=root)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(thread), {"limit": 20, "sort": "reactions"})
    assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_for_10_or_300_comments(client, alice, bob, say):
    small = make_post(slug="small").thread
    large = make_post(slug="large").thread
    few = _queries_for_a_page(client, small, alice, bob, say, 10)
    many = _queries_for_a_page(client, large, alice, bob, say, 300)
    assert few == many
    assert many <= 5


def test_each_comment_carries_its_time_as_the_site_prints_it(client, thread, alice, say):
    say(thread, alice, "Summer", created_at=datetime(2011, 7, 13, 22, 20, tzinfo=UTC))
    say(thread, alice, "Winter", created_at=datetime(2011, 12, 1, 5, 7, tzinfo=UTC))
    items = client.get(_url(thread)).json()["items"]
    assert [item["created_line"] for item in items] == [
        "July 13th, 2011 06:20 PM ET",
        "December 1st, 2011 12:07 AM ET",
    ]
