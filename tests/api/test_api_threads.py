"""GET /api/v1/threads (by post or page URL), /threads/{id} and /threads/{id}/mine."""

from datetime import timedelta

from django.utils import timezone

from soundoff.discussion.models import Thread
from soundoff.embed.models import AllowedOrigin
from soundoff.newsroom.models import PostStatus
from testkit.cast import make_post

URL = "/api/v1/threads"
PAGE = "https://news.example.org/2025/story"


def test_finds_the_thread_of_a_post(client, post, alice, say):
    say(post.thread, alice)
    body = client.get(URL, {"post": "water-main"}).json()
    assert body["id"] == post.thread.pk
    assert body["post"] == "water-main"
    assert body["title"] == "Water main breaks downtown"
    assert body["comment_count"] == 1
    assert body["count_text"] == "One Response"
    assert body["soundoff_text"] == "soundoff (One Response)"
    assert body["is_open"] is True


def test_a_draft_posts_thread_is_not_found(client, db, error_of):
    draft = make_post(slug="a-draft", status=PostStatus.DRAFT)
    assert error_of(client.get(URL, {"post": "a-draft"}), 404) == "not_found"
    assert error_of(client.get(f"{URL}/{draft.thread.pk}"), 404) == "not_found"


def test_a_page_not_yet_commented_has_no_thread_yet(client, embed_origin):
    response = client.get(URL, {"url": PAGE})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] is None
    assert body["page_url"] == PAGE
    assert body["count_text"] == "No Responses"
    assert body["soundoff_text"] == "soundoff (No Responses)"
    assert not Thread.objects.filter(page_url=PAGE).exists()


def test_an_origin_allowed_in_the_admin_works_too(client, db):
    AllowedOrigin.objects.create(origin="https://blog.example.net")
    response = client.get(URL, {"url": "https://blog.example.net/a-post"})
    assert response.status_code == 200
    assert response.json()["id"] is None


def test_a_disallowed_origin_is_refused_and_nothing_is_created(client, embed_origin, error_of):
    response = client.get(URL, {"url": "https://elsewhere.example.com/story"})
    assert error_of(response, 403) == "origin_not_allowed"
    assert "elsewhere.example.com" in response.json()["detail"]
    assert not Thread.objects.exists()


def test_page_urls_are_normalised_to_one_thread(client, alice, embed_origin, bearer):
    response = client.post(
        "/api/v1/comments",
        {"page_url": PAGE + "?utm_source=feed#comments", "body": "First!"},
        content_type="application/json",
        headers=bearer(alice),
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get()
    assert thread.page_url == PAGE
    for variant in (PAGE, PAGE + "#top", "HTTPS://News.Example.org:443/2025/story?fbclid=x"):
        body = client.get(URL, {"url": variant}).json()
        assert body["id"] == thread.pk, variant
        assert body["comment_count"] == 1


def test_asks_for_exactly_one_of_post_and_url(client, post, embed_origin, error_of):
    assert error_of(client.get(URL), 422) == "invalid"
    both = client.get(URL, {"post": "water-main", "url": PAGE})
    assert error_of(both, 422) == "invalid"


def test_a_malformed_page_url_is_refused(client, embed_origin, error_of):
    assert error_of(client.get(URL, {"url": "javascript:alert(1)"}), 422) == "invalid_page_url"
    assert error_of(client.get(URL, {"url": "x" * 1001}), 422) == "invalid"


def test_thread_detail(client, post):
    body = client.get(f"{URL}/{post.thread.pk}").json()
    assert body["id"] == post.thread.pk
    assert body["mode"] == "open"


def test_mine_lists_what_the_reader_may_do(client, post, alice, bob, say, bearer):
    mine = say(post.thread, alice, "Mine")
    old = say(post.thread, alice, "Old", created_at=timezone.now() - timedelta(days=1))
    theirs = say(post.thread, bob, "Theirs")
    reacted = client.post(
        f"/api/v1/comments/{mine.pk}/reactions",
        {"kind": "agree"},
        content_type="application/json",
        headers=bearer(bob),
    )
    assert reacted.status_code == 200
    body = client.get(f"{URL}/{post.thread.pk}/mine", headers=bearer(alice)).json()
    assert body["editable"] == [mine.pk]
    assert sorted(body["deletable"]) == sorted([mine.pk, old.pk])
    assert body["reactions"] == {}
    body = client.get(f"{URL}/{post.thread.pk}/mine", headers=bearer(bob)).json()
    assert body["editable"] == [theirs.pk]
    assert body["reactions"] == {str(mine.pk): ["agree"]}
    anonymous = client.get(f"{URL}/{post.thread.pk}/mine").json()
    assert anonymous["editable"] == anonymous["deletable"] == []
    assert anonymous["reactions"] == {}
