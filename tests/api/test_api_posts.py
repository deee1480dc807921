"""GET /api/v1/posts and /api/v1/posts/{slug}."""

from datetime import timedelta

from soundoff.newsroom.models import Post, PostStatus
from testkit.cast import make_post

URL = "/api/v1/posts"


def test_lists_published_posts_newest_first_with_counts(client, post, alice, say):
    older = make_post(slug="older", published_ago=timedelta(days=2))
    say(post.thread, alice)
    say(post.thread, alice)
    items = client.get(URL).json()["items"]
    assert [item["slug"] for item in items] == ["water-main", "older"]
    first = items[0]
    assert first["comment_count"] == 2
    assert first["count_text"] == "2 Responses"
    assert first["thread"] == post.thread.pk
    assert first["url"] == post.get_absolute_url()
    assert items[1]["count_text"] == "No Responses"
    assert items[1]["thread"] == older.thread.pk


def test_drafts_and_scheduled_posts_are_absent(client, post):
    make_post(slug="a-draft", status=PostStatus.DRAFT)
    make_post(slug="tomorrow", status=PostStatus.SCHEDULED, published_ago=-timedelta(days=1))
    assert [item["slug"] for item in client.get(URL).json()["items"]] == ["water-main"]


def test_keyset_pages_cover_every_post_once(client, db, settings, every_page):
    settings.SOUNDOFF_POSTS_PER_PAGE = 3
    for n in range(8):
        make_post(slug=f"story-at-{n}", published_ago=timedelta(hours=n))
    # Two posts published at the same instant must both appear.
    tie = Post.objects.get(slug="story-at-4").published_at
    Post.objects.filter(slug="story-at-5").update(published_at=tie)
    slugs = every_page(client, URL, "slug")
    assert len(slugs) == len(set(slugs)) == 8
    assert slugs[:4] == ["story-at-0", "story-at-1", "story-at-2", "story-at-3"]
    assert set(slugs[4:6]) == {"story-at-4", "story-at-5"}


def test_a_tampered_cursor_is_refused(client, post, settings, error_of):
    settings.SOUNDOFF_POSTS_PER_PAGE = 1
    make_post(slug="second")
    cursor = client.get(URL).json()["next_cursor"]
    response = client.get(URL, {"cursor": cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")})
    assert error_of(response, 400) == "invalid_cursor"
    assert error_of(client.get(URL, {"cursor": "not-a-cursor"}), 400) == "invalid_cursor"


def test_detail_shows_the_body(client, post):
    response = client.get(f"{URL}/water-main")
    assert response.status_code == 200
    body = response.json()
    assert body["headline"] == "Water main breaks downtown"
    assert "<blockquote>" in body["body_html"]
    assert body["thread"] == post.thread.pk


def test_a_draft_is_not_found(client, db, error_of):
    make_post(slug="a-draft", status=PostStatus.DRAFT)
    assert error_of(client.get(f"{URL}/a-draft"), 404) == "not_found"
    assert error_of(client.get(f"{URL}/no-such-post"), 404) == "not_found"
