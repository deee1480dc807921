"""Per-post and scheduled policy: set_discussion_policy, auto-close, category defaults."""

from datetime import timedelta

import pytest

from soundoff.discussion.errors import CommentRefused, NotAllowed, RateLimited
from soundoff.discussion.models import CommentStatus, DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.discussion.services import post_comment
from soundoff.moderation.discussion_settings import set_discussion_policy
from soundoff.moderation.models import ActionKind, ModerationAction
from soundoff.newsroom.models import Category, Post, PostStatus
from soundoff.newsroom.services import save_post
from testkit.cast import CLIENT, make_post


def _post(thread, author, body="A comment."):
    return post_comment(thread, author=author, body=body, client=CLIENT)


def test_an_editor_closes_a_discussion_and_it_is_audited(desk_editor, alice, thread):
    closed = DiscussionPolicy(DiscussionMode.CLOSED, slow_mode_seconds=0)
    set_discussion_policy(thread, by=desk_editor, policy=closed)
    stored = Thread.objects.get(pk=thread.pk)
    assert stored.mode == DiscussionMode.CLOSED
    assert stored.version == 2
    assert thread.mode == DiscussionMode.CLOSED  # the caller's copy is refreshed
    action = ModerationAction.objects.get(action=ActionKind.DISCUSSION_CHANGED)
    assert (action.actor, action.thread) == (desk_editor, stored)
    assert (action.status_before, action.status_after) == ("open", "closed")
    with pytest.raises(CommentRefused, match="closed") as refused:
        _post(thread, alice)
    assert refused.value.code == "closed"


def test_a_moderator_puts_a_discussion_in_slow_mode(moderator, alice, thread):
    set_discussion_policy(thread, by=moderator, policy=DiscussionPolicy(slow_mode_seconds=300))
    action = ModerationAction.objects.get()
    assert action.actor == moderator
    assert "300" in action.note
    _post(thread, alice)
    with pytest.raises(RateLimited, match="slow mode") as refused:
        _post(thread, alice, "Another.")
    assert 0 < refused.value.retry_after <= 300


def test_pre_moderating_a_discussion_holds_its_new_comments(moderator, alice, thread):
    set_discussion_policy(
        thread, by=moderator, policy=DiscussionPolicy(DiscussionMode.PREMODERATED)
    )
    assert _post(thread, alice).comment.status == CommentStatus.HELD


def test_a_reader_cannot_change_the_policy_and_nothing_changes(alice, thread):
    with pytest.raises(NotAllowed):
        set_discussion_policy(thread, by=alice, policy=DiscussionPolicy(DiscussionMode.CLOSED))
    thread.refresh_from_db()
    assert (thread.mode, thread.version) == (DiscussionMode.OPEN, 1)
    assert not ModerationAction.objects.exists()


def test_an_unchanged_policy_writes_nothing(desk_editor, thread):
    set_discussion_policy(thread, by=desk_editor, policy=DiscussionPolicy())
    thread.refresh_from_db()
    assert thread.version == 1
    assert not ModerationAction.objects.exists()


def test_changing_an_existing_posts_policy_through_save_post_is_audited(desk_editor, post):
    save_post(post, by=desk_editor, policy=DiscussionPolicy(close_after_hours=24))
    action = ModerationAction.objects.get()
    assert action.actor == desk_editor
    assert "24" in action.note
    assert Thread.objects.get(post=post).close_after_hours == 24


# --- closing on schedule -------------------------------------------------------


def test_the_site_default_closes_discussions_after_publication(alice, settings):
    settings.SOUNDOFF_AUTO_CLOSE_HOURS = 2
    old = make_post(published_ago=timedelta(hours=2, minutes=1)).thread
    recent = make_post(published_ago=timedelta(hours=1, minutes=59)).thread
    assert not old.is_open
    assert recent.is_open
    with pytest.raises(CommentRefused) as refused:
        _post(old, alice)
    assert refused.value.code == "closed"
    assert _post(recent, alice).is_visible


def test_never_closing_is_the_default(alice):
    assert make_post(published_ago=timedelta(days=365)).thread.is_open


def test_a_posts_own_hours_override_the_site_default(db, settings):
    settings.SOUNDOFF_AUTO_CLOSE_HOURS = 2
    longer = make_post(published_ago=timedelta(hours=3)).thread
    longer.close_after_hours = 48
    shorter = make_post(published_ago=timedelta(hours=3)).thread
    shorter.close_after_hours = 1
    assert longer.is_open
    assert not shorter.is_open
    settings.SOUNDOFF_AUTO_CLOSE_HOURS = 0
    assert not shorter.is_open


def test_a_scheduled_post_counts_from_its_publication_time(db, settings):
    settings.SOUNDOFF_AUTO_CLOSE_HOURS = 2
    thread = make_post(status=PostStatus.SCHEDULED, published_ago=timedelta(hours=1)).thread
    assert thread.closes_at == thread.post.published_at + timedelta(hours=2)


# --- category defaults ---------------------------------------------------------


@pytest.fixture
def courts(db):
    return Category.objects.create(
        name="Courts",
        slug="courts",
        discussion=DiscussionMode.PREMODERATED,
        slow_mode_seconds=60,
        close_after_hours=72,
    )


def _story(category, slug="trial-day-one"):
    return Post(
        headline="Trial, day one",
        slug=slug,
        body="The jury was sworn in.",
        status=PostStatus.PUBLISHED,
        category=category,
    )


def test_a_new_post_in_a_category_starts_with_its_policy(alice, courts):
    thread = Thread.objects.get(post=save_post(_story(courts)))
    assert DiscussionPolicy.of(thread) == DiscussionPolicy(DiscussionMode.PREMODERATED, 60, 72)
    result = _post(thread, alice)
    assert result.comment.status == CommentStatus.HELD
    assert result.comment.held_reason == "premoderated"


def test_an_explicit_policy_beats_the_categorys(courts):
    post = save_post(_story(courts), policy=DiscussionPolicy())
    assert Thread.objects.get(post=post).mode == DiscussionMode.OPEN


def test_a_post_without_a_category_starts_open(db):
    assert Thread.objects.get(post=save_post(_story(None))).mode == DiscussionMode.OPEN


def test_saving_an_existing_post_again_keeps_its_policy(courts, desk_editor):
    post = save_post(_story(courts))
    thread = Thread.objects.get(post=post)
    set_discussion_policy(thread, by=desk_editor, policy=DiscussionPolicy())
    post.headline = "Trial, day one (updated)"
    save_post(post, by=desk_editor)
    assert Thread.objects.get(post=post).mode == DiscussionMode.OPEN
