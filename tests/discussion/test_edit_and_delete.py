from datetime import timedelta

import pytest
from django.utils import timezone

from soundoff.discussion import services
from soundoff.discussion.errors import CommentRefused, NotAllowed
from soundoff.discussion.models import Comment, CommentStatus
from testkit.cast import CLIENT


@pytest.fixture
def comment(alice, thread):
    return services.post_comment(thread, author=alice, body="Frist!", client=CLIENT).comment


def test_the_author_edits_within_the_window(alice, comment):
    edited = services.edit_comment(comment, by=alice, body="*First*, sorry.", client=CLIENT)
    assert edited.body == "*First*, sorry."
    assert "<em>First</em>" in edited.body_html
    assert edited.edited_at is not None


def test_nobody_else_may_edit(bob, comment):
    with pytest.raises(NotAllowed):
        services.edit_comment(comment, by=bob, body="Hijacked", client=CLIENT)
    comment.refresh_from_db()
    assert comment.body == "Frist!"


def test_edits_after_the_window_are_refused(alice, comment, settings):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(NotAllowed) as refused:
        services.edit_comment(comment, by=alice, body="Too late", client=CLIENT)
    assert "15 minutes" in refused.value.detail
    settings.SOUNDOFF_EDIT_WINDOW = 3600
    assert services.edit_comment(comment, by=alice, body="Longer window", client=CLIENT)


def test_an_edit_goes_through_the_pipeline(alice, comment):
    with pytest.raises(CommentRefused):
        services.edit_comment(comment, by=alice, body="   ", client=CLIENT)
    comment.refresh_from_db()
    assert comment.body == "Frist!"


def test_deleting_hides_keeps_the_text_and_uncounts(alice, comment, thread):
    services.delete_comment(comment, by=alice)
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.status == CommentStatus.DELETED
    assert comment.body == "Frist!"
    assert thread.comment_count == 0


def test_only_the_author_may_delete_and_only_once(alice, bob, comment, thread):
    with pytest.raises(NotAllowed):
        services.delete_comment(comment, by=bob)
    services.delete_comment(comment, by=alice)
    with pytest.raises(NotAllowed):
        services.delete_comment(comment, by=alice)
    thread.refresh_from_db()
    assert thread.comment_count == 0


def test_a_deleted_comment_can_no_longer_be_edited(alice, comment):
    services.delete_comment(comment, by=alice)
    with pytest.raises(NotAllowed):
        services.edit_comment(comment, by=alice, body="Back from the dead", client=CLIENT)


def test_status_changes_do_not_render_the_text_again(alice, comment, monkeypatch):
    rendered = []
    monkeypatch.setattr(
        "soundoff.discussion.models.render_comment",
        lambda source: rendered.append(source) or f"<p>{source}</p>",
    )
    services.delete_comment(comment, by=alice)
    assert rendered == []
    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED


def test_an_edit_renders_and_stores_the_new_html(alice, comment):
    services.edit_comment(comment, by=alice, body="Now **bold**", client=CLIENT)
    comment.refresh_from_db()
    assert comment.body_html == "<p>Now <strong>bold</strong></p>\n"
