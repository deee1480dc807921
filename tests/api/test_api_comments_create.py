"""POST /api/v1/comments: a comment on a post, on an outside page, a reply, a retry."""

import json
import uuid

import pytest

from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.newsroom.models import PostStatus
from testkit.cast import make_post

URL = "/api/v1/comments"
PAGE = "https://news.example.org/2025/story"


@pytest.fixture
def send(client, bearer):
    def post(user, payload, **headers):
        auth = bearer(user) if user else {}
        return client.post(
            URL, json.dumps(payload), content_type="application/json", headers=auth | headers
        )

    return post


def test_a_visible_comment_answers_201(send, alice, thread):
    response = send(alice, {"thread": thread.pk, "body": "Crews worked *all night*."})
    assert response.status_code == 201, response.content
    body = response.json()
    comment = Comment.objects.get()
    assert body["id"] == comment.pk
    assert body["status"] == "visible"
    assert body["html"] == "<p>Crews worked <em>all night</em>.</p>\n"
    assert body["author"]["display_name"] == "Alice Reader"
    assert body["parent"] is None
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_a_held_comment_answers_202(send, alice, thread):
    Thread.objects.filter(pk=thread.pk).update(mode=DiscussionMode.PREMODERATED)
    response = send(alice, {"thread": thread.pk, "body": "Waiting for a moderator."})
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "held"
    assert Comment.objects.get().status == CommentStatus.HELD
    thread.refresh_from_db()
    assert thread.comment_count == 0


def test_anonymous_callers_must_sign_in(send, thread, error_of):
    assert error_of(send(None, {"thread": thread.pk, "body": "Hi"}), 401) == "not_signed_in"
    assert not Comment.objects.exists()


def test_a_draft_posts_thread_is_not_found(send, alice, db, error_of):
    draft = make_post(slug="draft", status=PostStatus.DRAFT)
    assert error_of(send(alice, {"thread": draft.thread.pk, "body": "Hi"}), 404) == "not_found"
    assert not Comment.objects.exists()


def test_the_first_comment_creates_an_outside_pages_thread(send, alice, bob, embed_origin):
    response = send(alice, {"page_url": PAGE + "#c", "title": "  A   story ", "body": "First"})
    assert response.status_code == 201, response.content
    thread = Thread.objects.get()
    assert (thread.page_url, thread.title, thread.comment_count) == (PAGE, "A story", 1)
    assert response.json()["thread"] == thread.pk
    again = send(bob, {"page_url": PAGE + "?utm_medium=x", "body": "Second"})
    assert again.status_code == 201
    assert Thread.objects.count() == 1
    assert Comment.objects.filter(thread=thread).count() == 2


def test_no_thread_for_a_disallowed_origin(send, alice, embed_origin, error_of):
    response = send(alice, {"page_url": "https://elsewhere.example.com/x", "body": "Hi"})
    assert error_of(response, 403) == "origin_not_allowed"
    assert not Thread.objects.exists()
    assert not Comment.objects.exists()


def test_no_thread_when_the_comment_is_refused(send, alice, newcomer, embed_origin, error_of):
    assert error_of(send(alice, {"page_url": PAGE, "body": "   "}), 422) == "empty"
    assert not Thread.objects.exists()
    response = send(newcomer, {"page_url": PAGE, "body": "Let me in"})
    assert error_of(response, 403) == "policies_not_accepted"
    assert not Thread.objects.exists()
    assert not Comment.objects.exists()


def test_give_either_thread_or_page_url(send, alice, thread, embed_origin, error_of):
    both = {"thread": thread.pk, "page_url": PAGE, "body": "Hi"}
    assert error_of(send(alice, both), 422) == "invalid"
    assert error_of(send(alice, {"body": "Hi"}), 422) == "invalid"
    assert not Comment.objects.exists()


def test_a_reply_hangs_under_its_parent(send, alice, bob, thread, say):
    top = say(thread, alice, "Top")
    response = send(bob, {"thread": thread.pk, "parent": top.pk, "body": "A reply"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["parent"], body["depth"]) == (top.pk, 1)
    assert Comment.objects.get(pk=body["id"]).root == top


def test_bad_parents_are_refused(send, alice, bob, thread, say, error_of):
    other = say(make_post(slug="other").thread, alice, "Elsewhere")
    gone = say(thread, alice, "Gone", status=CommentStatus.DELETED)
    for parent in (other.pk, gone.pk, 10**9):
        response = send(bob, {"thread": thread.pk, "parent": parent, "body": "A reply"})
        assert error_of(response, 422) == "invalid_reply"
    assert Comment.objects.filter(author=bob).count() == 0


def test_a_retry_with_the_same_idempotency_key_returns_the_same_comment(send, alice, thread):
    key = str(uuid.uuid4())
    payload = {"thread": thread.pk, "body": "Only once, please."}
    first = send(alice, payload, **{"Idempotency-Key": key})
    second = send(alice, payload, **{"Idempotency-Key": key})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Comment.objects.count() == 1
    third = send(alice, payload | {"body": "Another"}, **{"Idempotency-Key": str(uuid.uuid4())})
    assert third.status_code == 201
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("key", ["not-a-uuid", "x" * 65, "1234"])
def test_a_bad_idempotency_key_is_refused(send, alice, thread, key, error_of):
    response = send(alice, {"thread": thread.pk, "body": "Hi"}, **{"Idempotency-Key": key})
    assert error_of(response, 422) == "invalid"
    assert "Idempotency-Key" in response.json()["detail"]
    assert "UUID" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_output_never_carries_email_ip_or_user_agent(client, alice, thread, bearer, say):
    say(thread, alice, "Earlier")
    ip, agent = "198.51.100.77", "SecretAgent/1.0"
    response = client.post(
        URL,
        {"thread": thread.pk, "body": "Nothing about me but my name should show."},
        content_type="application/json",
        headers=bearer(alice) | {"User-Agent": agent},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 201
    reads = [
        response,
        client.get(f"{URL}/{response.json()['id']}"),
        client.get(f"/api/v1/threads/{thread.pk}/comments"),
        client.get("/api/v1/me", headers=bearer(alice)),
    ]
    for read in reads:
        text = read.content.decode()
        assert alice.email not in text
        assert alice.email.split("@")[0] not in text
        assert ip not in text
        assert agent not in text


def test_a_page_thread_takes_no_comments_once_its_site_is_off_the_list(
    send, alice, settings, error_of
):
    settings.SOUNDOFF_EMBED_ORIGINS = ["https://news.example.org"]
    first = send(alice, {"page_url": PAGE, "title": "Story", "body": "First!"})
    assert first.status_code == 201, first.content
    settings.SOUNDOFF_EMBED_ORIGINS = []
    thread_id = first.json()["thread"]
    refused = send(alice, {"thread": thread_id, "body": "Second"})
    assert error_of(refused, 403) == "origin_not_allowed"
    assert Comment.objects.count() == 1
