"""Moderators' decisions on comments: approve, remove, restore, feature."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.models import CommentStatus, DiscussionMode
from soundoff.discussion.services import delete_comment, post_comment
from soundoff.moderation.decisions import (
    approve_comment,
    feature_comment,
    flag_comment,
    remove_comment,
    restore_comment,
)
from soundoff.moderation.errors import AlreadyDecided, InvalidDecision
from soundoff.moderation.models import ActionKind, Flag, ModerationAction
from testkit.cast import CLIENT, make_post, make_reader, run_worker


@pytest.fixture
def comment(alice, thread):
    return post_comment(thread, author=alice, body="A strong opinion.", client=CLIENT).comment


@pytest.fixture
def flagged(comment, bob, rule):
    flag_comment(comment, by=bob, rule=rule)
    comment.refresh_from_db()
    return comment


@pytest.fixture
def held(alice):
    thread = make_post(discussion=DiscussionMode.PREMODERATED).thread
    return post_comment(thread, author=alice, body="Wait for it.", client=CLIENT).comment


def _count(comment):
    comment.thread.refresh_from_db()
    return comment.thread.comment_count


# --- approve -------------------------------------------------------------------


def test_approving_a_held_comment_shows_and_counts_it(held, moderator):
    assert _count(held) == 0
    approved = approve_comment(held, by=moderator)
    held.refresh_from_db()
    assert held.status == CommentStatus.VISIBLE
    assert held.held_reason == ""
    assert held.reviewed_at is not None
    assert approved.decision_version == held.decision_version == 1
    assert _count(held) == 1
    action = ModerationAction.objects.get(action=ActionKind.APPROVED)
    assert (action.actor, action.comment, action.user) == (moderator, held, held.author)
    assert (action.status_before, action.status_after) == ("held", "visible")


def test_approving_resolves_the_open_flags(flagged, moderator):
    approve_comment(flagged, by=moderator)
    flagged.refresh_from_db()
    assert flagged.open_flags == 0
    assert not Flag.objects.filter(comment=flagged, resolved_at=None).exists()
    assert _count(flagged) == 1


def test_a_removed_comment_cannot_be_approved(comment, moderator, rule):
    remove_comment(comment, by=moderator, rule=rule)
    with pytest.raises(InvalidDecision):
        approve_comment(comment, by=moderator)


# --- remove --------------------------------------------------------------------


def test_removing_hides_uncounts_resolves_flags_and_cites_the_rule(flagged, moderator, rule):
    remove_comment(flagged, by=moderator, rule=rule, note="Called names.")
    flagged.refresh_from_db()
    assert flagged.status == CommentStatus.REMOVED
    assert flagged.body == "A strong opinion."  # hidden, never destroyed
    assert flagged.open_flags == 0
    assert not Flag.objects.filter(resolved_at=None).exists()
    assert _count(flagged) == 0
    action = ModerationAction.objects.get(action=ActionKind.REMOVED)
    assert (action.actor, action.rule, action.note) == (moderator, rule, "Called names.")
    assert (action.status_before, action.status_after) == ("visible", "removed")


def test_removing_a_held_comment_leaves_the_count_alone(held, moderator, rule):
    remove_comment(held, by=moderator, rule=rule)
    assert _count(held) == 0


@pytest.mark.django_db(transaction=True)
def test_the_author_is_told_by_email_which_rule_was_broken(
    comment, moderator, rule, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        remove_comment(comment, by=moderator, rule=rule)
    task = DBTaskResult.objects.get(task_path="soundoff.moderation.notices.tell_of_removal")
    assert mail.outbox == []  # sent by the worker, never inside the decision

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    [message] = mail.outbox
    assert message.to == [comment.author.email]
    assert message.subject == "Your comment was removed"
    assert "Rule 2 of our Rules of Conduct: No personal attacks or harassment" in message.body
    assert "Water main breaks downtown" in message.body
    # The comment is quoted, the appeal linked, and replies reach the moderators.
    assert comment.body[:40] in message.body
    removal = ModerationAction.objects.get(action=ActionKind.REMOVED)
    assert f"{settings.SOUNDOFF_SITE_URL}/appeals/{removal.pk}/" in message.body
    assert message.reply_to == [settings.SOUNDOFF_MODERATION_REPLY_TO]


def test_nothing_is_sent_when_the_removal_fails(
    comment, moderator, rule, django_capture_on_commit_callbacks
):
    delete_comment(comment, by=comment.author)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidDecision):
        remove_comment(comment, by=moderator, rule=rule)
    assert not DBTaskResult.objects.filter(task_path__endswith="send_email").exists()


# --- restore -------------------------------------------------------------------


def test_restoring_shows_and_counts_the_comment_again(comment, moderator, rule):
    remove_comment(comment, by=moderator, rule=rule)
    restore_comment(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert _count(comment) == 1
    action = ModerationAction.objects.get(action=ActionKind.RESTORED)
    assert (action.status_before, action.status_after) == ("removed", "visible")


def test_only_removed_comments_can_be_restored(comment, moderator):
    with pytest.raises(InvalidDecision):
        restore_comment(comment, by=moderator)
    delete_comment(comment, by=comment.author)
    with pytest.raises(InvalidDecision):
        restore_comment(comment, by=moderator)
    assert not ModerationAction.objects.exists()


# --- feature -------------------------------------------------------------------


def test_featuring_and_unfeaturing_bump_the_threads_version(comment, moderator):
    comment.thread.refresh_from_db()
    version = comment.thread.version
    feature_comment(comment, by=moderator)
    comment.refresh_from_db()
    comment.thread.refresh_from_db()
    assert comment.featured
    assert comment.thread.version == version + 1

    feature_comment(comment, by=moderator, featured=False)
    comment.refresh_from_db()
    comment.thread.refresh_from_db()
    assert not comment.featured
    assert comment.thread.version == version + 2
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        ActionKind.UNFEATURED,
        ActionKind.FEATURED,
    ]


def test_a_held_comment_cannot_be_featured(held, moderator):
    with pytest.raises(InvalidDecision):
        feature_comment(held, by=moderator)
    held.refresh_from_db()
    assert not held.featured


# --- who may decide ------------------------------------------------------------

DECISIONS = {
    "approve": lambda comment, by, rule: approve_comment(comment, by=by),
    "remove": lambda comment, by, rule: remove_comment(comment, by=by, rule=rule),
    "restore": lambda comment, by, rule: restore_comment(comment, by=by),
    "feature": lambda comment, by, rule: feature_comment(comment, by=by),
}


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_reader_cannot_decide_and_nothing_changes(flagged, bob, rule, decision):
    thread_version = (_count(flagged), flagged.thread.version)
    before = (flagged.status, flagged.open_flags, flagged.featured, flagged.decision_version)
    with pytest.raises(NotAllowed):
        DECISIONS[decision](flagged, bob, rule)
    flagged.refresh_from_db()
    assert (
        flagged.status,
        flagged.open_flags,
        flagged.featured,
        flagged.decision_version,
    ) == before
    assert (_count(flagged), flagged.thread.version) == thread_version
    # Only the report that put it in the queue is in the log.
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [ActionKind.REPORTED]


def test_staff_without_the_moderators_group_cannot_decide(flagged, editor):
    with pytest.raises(NotAllowed):
        approve_comment(flagged, by=editor)


def test_the_system_may_decide(held):
    approve_comment(held, by=None)
    assert ModerationAction.objects.get(action=ActionKind.APPROVED).actor is None


# --- two moderators at once ----------------------------------------------------


def test_the_second_moderator_is_told_who_decided_first(flagged, moderator, make_moderator, rule):
    other = make_moderator("Second Desk")
    seen = flagged.decision_version
    approve_comment(flagged, by=moderator, seen_version=seen)
    with pytest.raises(AlreadyDecided, match="Already decided by Mona Moderator") as refused:
        remove_comment(flagged, by=other, rule=rule, seen_version=seen)
    assert refused.value.http_status == 409
    flagged.refresh_from_db()
    assert flagged.status == CommentStatus.VISIBLE
    assert _count(flagged) == 1
    assert list(ModerationAction.objects.filter(comment=flagged)) == [
        ModerationAction.objects.get(action=ActionKind.APPROVED, actor=moderator),
        ModerationAction.objects.get(action=ActionKind.REPORTED),
    ]


def test_a_decision_on_what_is_shown_now_goes_through(flagged, moderator, make_moderator, rule):
    approve_comment(flagged, by=moderator, seen_version=flagged.decision_version)
    flagged.refresh_from_db()
    remove_comment(
        flagged, by=make_moderator("Second Desk"), rule=rule, seen_version=flagged.decision_version
    )
    flagged.refresh_from_db()
    assert flagged.status == CommentStatus.REMOVED


def test_a_system_withholding_since_the_page_loaded_counts_as_a_decision(
    comment, moderator, rule, settings
):
    settings.SOUNDOFF_FLAG_THRESHOLD = 1
    seen = comment.decision_version
    flag_comment(comment, by=make_reader(), rule=rule)
    with pytest.raises(AlreadyDecided, match="the system"):
        approve_comment(comment, by=moderator, seen_version=seen)
