"""Deciding on one comment from a queue: approve, remove, restore, feature."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from soundoff.discussion import services as discussion
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.moderation.decisions import flag_comment, remove_comment, withhold_comment
from soundoff.moderation.models import ActionKind, Flag, ModerationAction
from testkit.cast import CLIENT, conduct_rule
from testkit.pages import assert_sent_to_log_in


@pytest.fixture
def comment(alice, thread):
    return discussion.post_comment(
        thread, author=alice, body="Up for review.", client=CLIENT
    ).comment


def _decide(client, comment, decision, **data):
    return client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"decision": decision, "seen_version": comment.decision_version, **data},
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_anonymous_visitors_are_sent_to_log_in(client, comment):
    response = _decide(client, comment, "approve")
    assert_sent_to_log_in(response)
    assert not ModerationAction.objects.filter(action=ActionKind.APPROVED).exists()


@pytest.mark.parametrize("decision", ["approve", "remove", "feature"])
def test_readers_cannot_decide(client, bob, comment, decision):
    client.force_login(bob)
    response = _decide(client, comment, decision, rule=conduct_rule(1).pk)
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert not comment.featured
    assert comment.reviewed_at is None
    assert not ModerationAction.objects.exclude(action=ActionKind.CHECKED).exists()


def test_deciding_needs_a_post(client, moderator, comment):
    client.force_login(moderator)
    assert client.get(reverse("moderation:decide", args=[comment.pk])).status_code == 405


def test_approve_settles_flags_and_audits(client, moderator, bob, comment):
    flag_comment(comment, by=bob, rule=conduct_rule(1))
    comment.refresh_from_db()
    client.force_login(moderator)

    response = _decide(client, comment, "approve")

    assert response.status_code == 303
    assert f"Comment {comment.pk}: done (approve)." in _messages(response)
    comment.refresh_from_db()
    assert comment.is_visible
    assert comment.open_flags == 0
    assert comment.reviewed_at is not None
    assert not Flag.objects.filter(comment=comment, resolved_at=None).exists()
    action = ModerationAction.objects.get(action=ActionKind.APPROVED)
    assert action.actor == moderator
    assert action.comment == comment


def test_approve_shows_a_withheld_comment(client, moderator, comment):
    withhold_comment(comment, reason_code="score_toxicity")
    comment.refresh_from_db()
    client.force_login(moderator)
    _decide(client, comment, "approve")
    comment.refresh_from_db()
    assert comment.is_visible
    assert comment.held_reason == ""
    assert comment.thread.__class__.objects.get(pk=comment.thread_id).comment_count == 1


def test_remove_cites_the_rule(client, moderator, comment):
    client.force_login(moderator)
    response = _decide(client, comment, "remove", rule=conduct_rule(2).pk, note="Name-calling.")
    assert f"Comment {comment.pk}: done (remove)." in _messages(response)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    action = ModerationAction.objects.get(action=ActionKind.REMOVED)
    assert (action.rule.number, action.note, action.actor) == (2, "Name-calling.", moderator)
    assert (action.status_before, action.status_after) == ("visible", "removed")


def test_remove_without_a_rule_changes_nothing(client, moderator, comment):
    client.force_login(moderator)
    response = _decide(client, comment, "remove")
    assert response.status_code == 303
    assert any("Cite the rule the comment breaks" in m for m in _messages(response))
    comment.refresh_from_db()
    assert comment.is_visible
    assert not ModerationAction.objects.filter(action=ActionKind.REMOVED).exists()


def test_restore_undoes_a_removal(client, moderator, comment):
    remove_comment(comment, by=moderator, rule=conduct_rule(2))
    comment.refresh_from_db()
    client.force_login(moderator)
    response = _decide(client, comment, "restore")
    assert f"Comment {comment.pk}: done (restore)." in _messages(response)
    comment.refresh_from_db()
    assert comment.is_visible
    assert ModerationAction.objects.filter(action=ActionKind.RESTORED).count() == 1


def test_restoring_a_visible_comment_is_refused(client, moderator, comment):
    client.force_login(moderator)
    response = _decide(client, comment, "restore")
    assert any("Only removed comments can be restored." in m for m in _messages(response))
    assert not ModerationAction.objects.filter(action=ActionKind.RESTORED).exists()


def test_feature_and_unfeature(client, moderator, comment):
    client.force_login(moderator)
    _decide(client, comment, "feature")
    comment.refresh_from_db()
    assert comment.featured
    _decide(client, comment, "unfeature")
    comment.refresh_from_db()
    assert not comment.featured
    assert list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    ) == [ActionKind.FEATURED, ActionKind.UNFEATURED]


def test_the_second_moderator_is_told_who_decided_first(
    client, moderator, make_moderator, comment
):
    second = make_moderator("Sam Second")
    seen = comment.decision_version
    client.force_login(moderator)
    _decide(client, comment, "approve")

    client.force_login(second)
    response = client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"decision": "remove", "rule": conduct_rule(2).pk, "seen_version": seen},
    )

    assert response.status_code == 303
    assert any("Already decided by Mona Moderator" in m for m in _messages(response))
    comment.refresh_from_db()
    assert comment.is_visible
    assert (
        ModerationAction.objects.filter(comment=comment).exclude(action=ActionKind.CHECKED).count()
        == 1
    )


def test_the_same_decision_sent_twice_is_applied_once(client, moderator, comment):
    client.force_login(moderator)
    seen = comment.decision_version
    data = {"decision": "remove", "rule": conduct_rule(2).pk, "seen_version": seen}
    url = reverse("moderation:decide", args=[comment.pk])
    client.post(url, data)
    response = client.post(url, data)
    assert any("Already decided by Mona Moderator" in m for m in _messages(response))
    assert ModerationAction.objects.filter(action=ActionKind.REMOVED).count() == 1


def test_the_moderator_goes_back_to_the_queue_they_came_from(client, moderator, comment):
    client.force_login(moderator)
    back = reverse("moderation:queue_named", args=["recent"]) + "?page=1"
    response = _decide(client, comment, "approve", next=back)
    assert response["Location"] == back


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/accounts/"])
def test_next_cannot_leave_the_moderator_pages(client, moderator, comment, target):
    client.force_login(moderator)
    response = _decide(client, comment, "approve", next=target)
    assert response["Location"] == reverse("moderation:queue")


def test_an_unknown_comment_is_not_found(client, moderator, db):
    client.force_login(moderator)
    response = client.post(reverse("moderation:decide", args=[999999]), {"decision": "approve"})
    assert response.status_code == 404
    assert not Comment.objects.exists()
