"""What a change to a comment becomes on the wire, and who gets told."""

from __future__ import annotations

import threading

import pytest

from soundoff.discussion import services
from soundoff.discussion.models import CommentStatus
from soundoff.live import receivers
from soundoff.live.events import build_event
from testkit import cast


@pytest.fixture
def published(monkeypatch):
    """Events the receiver publishes, instead of a broker."""
    sent = []

    class Recorder:
        def publish(self, event):
            sent.append(event)

    monkeypatch.setattr(receivers, "get_broker", Recorder)
    return sent


def post(thread, author, body="Is the water safe to drink?", **kwargs):
    return services.post_comment(
        thread, author=author, body=body, client=cast.CLIENT, **kwargs
    ).comment


def test_created_comment_is_the_page_partial_for_nobody_in_particular(thread, alice):
    comment = post(thread, alice, body="Is the water *safe*?")
    event = build_event(comment_id=comment.pk, change="created")

    thread.refresh_from_db()
    assert (event["thread"], event["version"], event["count"]) == (
        thread.pk,
        thread.version,
        thread.comment_count,
    )
    assert event["count_text"]["en"] == "soundoff (One Response)"
    state = event["comment"]
    assert (state["id"], state["change"], state["parent"]) == (comment.pk, "created", None)
    assert state["html"]["en"].startswith(f'<li class="comment" id="comment-{comment.pk}">')
    assert "<em>safe</em>" in state["html"]["en"]
    assert "Alice Reader" in state["html"]["en"]
    assert "comment__actions" not in state["html"]["en"]
    assert alice.email not in str(event)
    assert cast.CLIENT.ip not in str(event)


def test_reply_carries_its_parent(thread, alice, bob):
    parent = post(thread, alice)
    reply = post(thread, bob, body="Boil it first.", parent=parent)
    assert build_event(comment_id=reply.pk, change="created")["comment"]["parent"] == parent.pk


def test_held_comment_is_never_sent(thread, alice):
    comment = post(thread, alice)
    comment.status = CommentStatus.HELD
    comment.save(update_fields=["status"])
    assert build_event(comment_id=comment.pk, change="created") is None
    assert build_event(comment_id=comment.pk, change="edited") is None
    held = build_event(comment_id=comment.pk, change="status")
    assert held["comment"]["change"] == "removed"
    assert held["comment"]["html"] == {}


def test_removed_comment_becomes_its_placeholder(thread, alice):
    comment = post(thread, alice, body="Something regrettable")
    comment.status = CommentStatus.REMOVED
    comment.save(update_fields=["status"])
    state = build_event(comment_id=comment.pk, change="status")["comment"]
    assert state["change"] == "removed"
    assert "removed by a moderator" in state["html"]["en"]
    assert "regrettable" not in state["html"]["en"]


def test_restored_and_featured_comments_are_shown_again(thread, alice):
    comment = post(thread, alice)
    assert build_event(comment_id=comment.pk, change="status")["comment"]["change"] == "restored"
    assert build_event(comment_id=comment.pk, change="featured")["comment"]["change"] == "featured"


def test_missing_comment_sends_nothing(db):
    assert build_event(comment_id=987_654, change="created") is None


def test_receiver_publishes_after_commit(
    thread, alice, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, alice)
    assert [e["comment"]["id"] for e in published] == [comment.pk]


def test_edit_and_delete_are_published(
    thread, alice, published, django_capture_on_commit_callbacks
):
    comment = post(thread, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(comment, by=alice, body="Edited text.", client=cast.CLIENT)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_comment(comment, by=alice)
    changes = [e["comment"]["change"] for e in published]
    assert changes == ["edited", "removed"]
    assert published[-1]["count_text"]["en"] == "soundoff (No Responses)"


def test_a_failing_broker_never_fails_the_write(
    thread, alice, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    class Broken:
        def publish(self, event):
            raise ConnectionError("Redis went away")

    monkeypatch.setattr(receivers, "get_broker", Broken)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, alice)
    assert comment.pk
    assert "was not published" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_published_once_off_the_writers_thread(monkeypatch, policies):
    sent = []

    class Recorder:
        def publish(self, event):
            sent.append((event["comment"]["id"], threading.current_thread().name))

    monkeypatch.setattr(receivers, "get_broker", Recorder)
    alice = cast.make_reader("Off Thread")
    comment = post(cast.make_post().thread, alice)
    assert receivers.publisher.flush(timeout=60)
    assert sent == [(comment.pk, "soundoff-live-publisher")]
