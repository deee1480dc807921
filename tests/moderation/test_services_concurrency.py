"""Two moderators deciding on one comment at the same instant, for real:
two threads, two database connections, one seen_version."""

import pytest

from soundoff.accounts.queries import current_rules
from soundoff.discussion.models import CommentStatus
from soundoff.discussion.services import post_comment
from soundoff.moderation.decisions import approve_comment, remove_comment
from soundoff.moderation.errors import AlreadyDecided
from soundoff.moderation.models import ActionKind, ModerationAction
from testkit.at_once import run_at_once
from testkit.cast import CLIENT, make_moderator, make_post, make_reader

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_moderators_at_once_exactly_one_decision_applies(policies):
    author = make_reader("Alice Reader")
    thread = make_post().thread
    comment = post_comment(thread, author=author, body="Contested.", client=CLIENT).comment
    rule = current_rules()[1]
    first, second = make_moderator("First Desk"), make_moderator("Second Desk")
    seen = comment.decision_version
    decisions = [
        lambda: approve_comment(comment, by=first, seen_version=seen),
        lambda: remove_comment(comment, by=second, rule=rule, seen_version=seen),
    ]
    outcomes = run_at_once(decisions)

    refusals = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refusals) == 1, outcomes
    [refused] = refusals
    assert isinstance(refused, AlreadyDecided), refused
    decided = ModerationAction.objects.filter(comment=comment)
    assert decided.count() == 1
    action = decided.get()
    comment.refresh_from_db()
    thread.refresh_from_db()
    if action.action == ActionKind.APPROVED:
        assert (comment.status, thread.comment_count) == (CommentStatus.VISIBLE, 1)
        assert "First Desk" in str(refused)
    else:
        assert (comment.status, thread.comment_count) == (CommentStatus.REMOVED, 0)
        assert "Second Desk" in str(refused)
    assert comment.decision_version == seen + 1
