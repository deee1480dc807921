"""GET /api/v1/counts: "soundoff (N Responses)" for many posts and pages at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion.services import open_page_thread
from soundoff.newsroom.models import PostStatus
from testkit.cast import make_post

URL = "/api/v1/counts"
PAGE = "https://news.example.org/story"


def test_counts_posts_and_pages_in_the_order_asked(client, post, alice, say):
    say(post.thread, alice)
    page = open_page_thread(PAGE)
    say(page, alice)
    say(page, alice)
    response = client.get(
        URL, {"post": ["water-main", "no-such-post"], "url": [PAGE + "?utm_source=x#c", "nope"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["counts"] == [
        {
            "key": "water-main",
            "comment_count": 1,
            "count_text": "One Response",
            "soundoff_text": "soundoff (One Response)",
        },
        {
            "key": "no-such-post",
            "comment_count": 0,
            "count_text": "No Responses",
            "soundoff_text": "soundoff (No Responses)",
        },
        {
            "key": PAGE + "?utm_source=x#c",
            "comment_count": 2,
            "count_text": "2 Responses",
            "soundoff_text": "soundoff (2 Responses)",
        },
        {
            "key": "nope",
            "comment_count": 0,
            "count_text": "No Responses",
            "soundoff_text": "soundoff (No Responses)",
        },
    ]


def test_drafts_count_nothing(client, db, alice, say):
    draft = make_post(slug="draft", status=PostStatus.DRAFT)
    say(draft.thread, alice)
    assert client.get(URL, {"post": "draft"}).json()["counts"][0]["comment_count"] == 0


def test_a_hundred_keys_cost_one_thread_query_per_kind(client, db, alice, say):
    posts = [make_post(slug=f"story-{n}") for n in range(50)]
    urls = [f"{PAGE}/{n}" for n in range(50)]
    for n in range(0, 50, 7):
        say(posts[n].thread, alice)
        say(open_page_thread(urls[n]), alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"post": [p.slug for p in posts], "url": urls})
    assert response.status_code == 200
    counts = response.json()["counts"]
    assert len(counts) == 100
    assert sum(c["comment_count"] for c in counts) == 16
    lookups = [q["sql"] for q in queries if '"discussion_thread"' in q["sql"]]
    assert len(lookups) == 2, lookups
    assert len(queries) == 2


def test_101_keys_are_too_many(client, db, error_of):
    response = client.get(URL, {"post": ["a"] * 51, "url": [PAGE] * 50})
    assert error_of(response, 422) == "too_many"
    assert "100" in response.json()["detail"]


def test_10000_urls_are_refused_without_a_server_error(client, db, error_of):
    urls = [f"{PAGE}/{n}" for n in range(10_000)]
    assert error_of(client.get(URL, {"url": urls}), 422) == "too_many"
    assert error_of(client.get(URL, {"url": urls[:999]}), 422) == "too_many"


def test_no_keys_no_counts(client, db):
    assert client.get(URL).json() == {"counts": []}
