"""Two moderators deciding on one comment at the same instant, for real:
two threads, two database connections, one seen_version."""

import threading

import pytest
from django.db import connection

from soundoff.accounts.queries import current_rules
from soundoff.discussion.models import CommentStatus
from soundoff.discussion.services import post_comment
from soundoff.moderation.decisions import approve_comment, remove_comment
from soundoff.moderation.errors import AlreadyDecided
from soundoff.moderation.models import ActionKind, ModerationAction
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
    start = threading.Barrier(len(decisions))
    outcomes: list[object] = []

    def decide(decision):
        try:
            start.wait()
            decision()
            outcomes.append("done")
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=decide, args=(d,)) for d in decisions]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)  # generous: a loaded CI machine is slow, not wrong

    assert outcomes.count("done") == 1, outcomes
    [refused] = [outcome for outcome in outcomes if outcome != "done"]
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
