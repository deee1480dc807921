"""discussion.changes: every status change keeps its thread's count and
version, and live readers hear of it only once it is committed."""

import pytest
from django.db import transaction

from soundoff.discussion import services
from soundoff.discussion.changes import apply_featured, apply_status
from soundoff.discussion.models import Comment, CommentStatus, Thread
from soundoff.discussion.signals import comment_changed
from testkit.cast import CLIENT


@pytest.fixture
def comment(alice, thread):
    return services.post_comment(thread, author=alice, body="Well said.", client=CLIENT).comment


@pytest.fixture
def heard():
    changes = []

    def receive(sender, **details):
        changes.append((details["comment_id"], details["change"]))

    comment_changed.connect(receive)
    yield changes
    comment_changed.disconnect(receive)


def _thread(comment):
    return Thread.objects.get(pk=comment.thread_id)


def test_hiding_a_shown_comment_uncounts_it_and_moves_the_version(comment):
    before = _thread(comment)
    apply_status(comment, CommentStatus.REMOVED)
    after = _thread(comment)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.REMOVED
    assert after.comment_count == before.comment_count - 1
    assert after.version == before.version + 1


def test_showing_a_held_comment_counts_it(comment):
    apply_status(comment, CommentStatus.HELD)
    held_count = _thread(comment).comment_count
    apply_status(comment, CommentStatus.VISIBLE)
    assert _thread(comment).comment_count == held_count + 1


def test_the_callers_other_fields_are_saved_in_the_same_write(comment):
    comment.held_reason = "flags"
    apply_status(comment, CommentStatus.HELD, also=["held_reason"])
    assert Comment.objects.get(pk=comment.pk).held_reason == "flags"


def test_a_status_change_is_announced_once_committed(
    comment, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply_status(comment, CommentStatus.DELETED)
        assert heard == []
    assert heard == [(comment.pk, "status")]


def test_a_rolled_back_change_is_never_announced(
    comment, heard, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        apply_status(comment, CommentStatus.REMOVED)
        raise RuntimeError("the decision failed after the change")
    assert heard == []
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.VISIBLE


def test_featuring_keeps_the_count_moves_the_version_and_is_announced(
    comment, heard, django_capture_on_commit_callbacks
):
    before = _thread(comment)
    with django_capture_on_commit_callbacks(execute=True):
        apply_featured(comment, True)
    after = _thread(comment)
    assert Comment.objects.get(pk=comment.pk).featured
    assert after.comment_count == before.comment_count
    assert after.version == before.version + 1
    assert heard == [(comment.pk, "featured")]
