"""Bulk decisions on a selection of queue items."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from soundoff.discussion import services as discussion
from soundoff.discussion.models import CommentStatus
from soundoff.moderation.decisions import approve_comment
from soundoff.moderation.models import ActionKind, ModerationAction
from testkit.cast import CLIENT, conduct_rule
from testkit.pages import assert_sent_to_log_in


@pytest.fixture
def comments(alice, bob, thread):
    return [
        discussion.post_comment(thread, author=author, body=f"Comment {i}", client=CLIENT).comment
        for i, author in enumerate([alice, bob, alice])
    ]


def _bulk(client, comments, decision, **data):
    post = {"decision": decision, "comments": [c.pk for c in comments], **data}
    for comment in comments:
        post[f"seen-{comment.pk}"] = comment.decision_version
    return client.post(reverse("moderation:bulk"), post)


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _decisions():
    return ModerationAction.objects.exclude(action=ActionKind.CHECKED)


def test_anonymous_visitors_are_sent_to_log_in(client, comments):
    response = _bulk(client, comments, "approve")
    assert_sent_to_log_in(response)
    assert not _decisions().exists()


def test_readers_cannot_decide_in_bulk(client, bob, comments):
    client.force_login(bob)
    response = _bulk(client, comments, "remove", rule=conduct_rule(1).pk)
    assert response.status_code == 403
    assert not _decisions().exists()
    for comment in comments:
        comment.refresh_from_db()
        assert comment.is_visible


def test_approve_a_selection(client, moderator, comments):
    client.force_login(moderator)
    response = _bulk(client, comments[:2], "approve")
    assert response.status_code == 303
    messages = _messages(response)
    assert f"Comment {comments[0].pk}: done (approve)." in messages
    assert f"Comment {comments[1].pk}: done (approve)." in messages
    reviewed = [c.pk for c in comments if type(c).objects.get(pk=c.pk).reviewed_at]
    assert reviewed == [comments[0].pk, comments[1].pk]
    assert _decisions().filter(action=ActionKind.APPROVED).count() == 2


def test_remove_a_selection_citing_a_rule(client, moderator, comments):
    client.force_login(moderator)
    _bulk(client, comments, "remove", rule=conduct_rule(5).pk, note="Spam wave.")
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == CommentStatus.REMOVED
    removals = _decisions().filter(action=ActionKind.REMOVED)
    assert removals.count() == 3
    assert {(a.rule.number, a.note) for a in removals} == {(5, "Spam wave.")}


def test_remove_without_a_rule_changes_nothing(client, moderator, comments):
    client.force_login(moderator)
    response = _bulk(client, comments, "remove")
    assert any("Cite the rule the comment breaks" in m for m in _messages(response))
    assert not _decisions().exists()


def test_nothing_selected_is_a_clear_error(client, moderator, comments):
    client.force_login(moderator)
    response = client.post(reverse("moderation:bulk"), {"decision": "approve"})
    assert response.status_code == 303
    assert any("Select at least one comment." in m for m in _messages(response))
    assert not _decisions().exists()


def test_items_decided_meanwhile_are_skipped_and_named(
    client, moderator, make_moderator, comments
):
    other = make_moderator("Sam Second")
    stale = {c.pk: c.decision_version for c in comments}
    approve_comment(comments[1], by=other)
    client.force_login(moderator)

    post = {"decision": "remove", "rule": conduct_rule(2).pk, "comments": list(stale)}
    post.update({f"seen-{pk}": version for pk, version in stale.items()})
    response = client.post(reverse("moderation:bulk"), post)

    assert any(
        m.startswith(f"Comment {comments[1].pk}: Already decided by Sam Second")
        for m in _messages(response)
    )
    comments[1].refresh_from_db()
    assert comments[1].is_visible
    assert _decisions().filter(action=ActionKind.REMOVED).count() == 2
