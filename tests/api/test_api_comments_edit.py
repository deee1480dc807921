"""PATCH and DELETE /api/v1/comments/{id}: a reader's own comment, and only theirs."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from soundoff.discussion.models import Comment, CommentStatus


@pytest.fixture
def comment(thread, alice, say):
    return say(thread, alice, "Original text", created_at=timezone.now() - timedelta(minutes=2))


@pytest.fixture
def patch(client, bearer):
    def send(user, comment, payload):
        return client.patch(
            f"/api/v1/comments/{comment.pk}",
            json.dumps(payload),
            content_type="application/json",
            headers=bearer(user),
        )

    return send


@pytest.fixture
def delete(client, bearer):
    def send(user, comment):
        return client.delete(f"/api/v1/comments/{comment.pk}", headers=bearer(user))

    return send


def test_the_author_edits_their_comment(patch, alice, comment):
    response = patch(alice, comment, {"body": "Corrected *text*"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["html"] == "<p>Corrected <em>text</em></p>\n"
    assert body["edited_at"] is not None
    comment.refresh_from_db()
    assert comment.body == "Corrected *text*"


def test_another_reader_may_not_edit(patch, bob, comment, error_of):
    assert error_of(patch(bob, comment, {"body": "Hijacked"}), 403) == "forbidden"
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Original text", None)


def test_edits_after_the_window_are_refused(patch, alice, comment, settings, error_of):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    response = patch(alice, comment, {"body": "Too late"})
    assert error_of(response, 403) == "forbidden"
    assert "15 minutes" in response.json()["detail"]
    comment.refresh_from_db()
    assert comment.body == "Original text"


def test_an_edit_goes_through_the_pipeline(patch, alice, comment, error_of):
    assert error_of(patch(alice, comment, {"body": "  "}), 422) == "empty"
    comment.refresh_from_db()
    assert comment.body == "Original text"


def test_the_author_deletes_their_comment(delete, alice, comment, thread):
    response = delete(alice, comment)
    assert response.status_code == 204
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.status == CommentStatus.DELETED
    assert thread.comment_count == 0


def test_another_reader_may_not_delete(delete, bob, comment, thread, error_of):
    assert error_of(delete(bob, comment), 403) == "forbidden"
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert thread.comment_count == 1


def test_a_deleted_comment_cannot_be_edited_or_deleted_again(
    patch, delete, alice, comment, error_of
):
    delete(alice, comment)
    assert error_of(patch(alice, comment, {"body": "Back"}), 403) == "forbidden"
    assert error_of(delete(alice, comment), 403) == "forbidden"


def test_a_deleted_comment_with_replies_leaves_a_placeholder(
    client, delete, alice, bob, comment, thread, say
):
    reply = say(thread, bob, "A reply", parent=comment)
    delete(alice, comment)
    item = client.get(f"/api/v1/threads/{thread.pk}/comments").json()["items"][0]
    assert item["id"] == comment.pk
    assert item["status"] == "deleted"
    assert item["author"] is None
    assert item["html"] == ""
    assert "Original text" not in json.dumps(item)
    assert [r["id"] for r in item["replies"]] == [reply.pk]
    detail = client.get(f"/api/v1/comments/{comment.pk}").json()
    assert (detail["status"], detail["author"], detail["html"]) == ("deleted", None, "")


def test_a_deleted_comment_without_replies_leaves_nothing(client, delete, alice, comment, thread):
    delete(alice, comment)
    assert client.get(f"/api/v1/threads/{thread.pk}/comments").json()["items"] == []


def test_writes_need_a_reader(client, comment, error_of):
    response = client.patch(
        f"/api/v1/comments/{comment.pk}", {"body": "x"}, content_type="application/json"
    )
    assert error_of(response, 401) == "not_signed_in"
    assert error_of(client.delete(f"/api/v1/comments/{comment.pk}"), 401) == "not_signed_in"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_unknown_comments_are_not_found(patch, delete, alice, comment, error_of):
    comment.pk = 10**9
    assert error_of(patch(alice, comment, {"body": "x"}), 404) == "not_found"
    assert error_of(delete(alice, comment), 404) == "not_found"


def test_editing_too_fast_answers_429_with_retry_after(patch, alice, comment, settings, error_of):
    settings.SOUNDOFF_EDIT_RATE = "1/3600"
    assert patch(alice, comment, {"body": "First fix"}).status_code == 200

    refused = patch(alice, comment, {"body": "Second fix"})

    assert error_of(refused, 429) == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    comment.refresh_from_db()
    assert comment.body == "First fix"
