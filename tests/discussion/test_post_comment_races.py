"""post_comment checks a comment before its write transaction: the races
that opens, and how the write closes each.

"Meanwhile" is a last pipeline phase that makes the change, as another
request committing between the checks and the write would.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soundoff.discussion import services
from soundoff.discussion.errors import CommentRefused, InvalidReply, RateLimited
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.moderation import pipeline
from soundoff.moderation.decisions import remove_comment
from soundoff.moderation.discussion_settings import set_discussion_policy
from soundoff.moderation.models import PremoderatedReader, Sanction, SanctionKind
from soundoff.moderation.pipeline import PHASES
from soundoff.moderation.sanctions import ban_user, suspend_user
from testkit.cast import CLIENT


@pytest.fixture
def meanwhile(monkeypatch) -> Callable[[Callable[[], object]], None]:
    """Run ``change`` once, after every check has passed, before the write."""

    def install(change: Callable[[], object]) -> None:
        done = []

        def phase(submission):
            if not done:
                done.append(True)
                change()
            return None

        monkeypatch.setattr(pipeline, "PHASES", [*PHASES, phase])

    return install


def _post(thread, author, body="The council meets at six.", **kwargs):
    return services.post_comment(thread, author=author, body=body, client=CLIENT, **kwargs)


def _elsewhere(thread):
    """The thread as another request reads it (not the object being posted to)."""
    return Thread.objects.get(pk=thread.pk)


def _unchanged(thread):
    thread.refresh_from_db()
    return thread.comment_count == 0 and not Comment.objects.filter(thread=thread).exists()


def _close(thread, moderator):
    closed = DiscussionPolicy(mode=DiscussionMode.CLOSED)
    set_discussion_policy(_elsewhere(thread), by=moderator, policy=closed)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        pytest.param(lambda alice, thread, mod: ban_user(alice, by=mod), "sanctioned", id="ban"),
        pytest.param(
            lambda alice, thread, mod: suspend_user(alice, by=mod, duration=timedelta(days=1)),
            "sanctioned",
            id="suspension",
        ),
        pytest.param(lambda alice, thread, mod: _close(thread, mod), "closed", id="closing"),
    ],
)
def test_a_sanction_or_closing_meanwhile_refuses_the_comment(
    alice, thread, moderator, meanwhile, change, code
):
    meanwhile(lambda: change(alice, thread, moderator))
    with pytest.raises(CommentRefused) as refused:
        _post(thread, alice)
    assert refused.value.code == code
    assert _unchanged(thread)


def test_pre_moderating_meanwhile_holds_the_comment(alice, thread, moderator, meanwhile):
    held = DiscussionPolicy(mode=DiscussionMode.PREMODERATED)
    meanwhile(lambda: set_discussion_policy(_elsewhere(thread), by=moderator, policy=held))
    result = _post(thread, alice)
    assert result.comment.status == CommentStatus.HELD
    thread.refresh_from_db()
    assert thread.comment_count == 0


def test_the_same_text_posted_meanwhile_is_refused_as_a_repeat(alice, thread, meanwhile):
    meanwhile(lambda: _post(thread, alice, "Twice at once."))
    with pytest.raises(CommentRefused) as refused:
        _post(thread, alice, "Twice at once.")
    assert refused.value.code == "repeat"
    assert list(Comment.objects.values_list("body", flat=True)) == ["Twice at once."]


def test_slow_mode_counts_a_comment_posted_meanwhile(alice, thread, meanwhile):
    Thread.objects.filter(pk=thread.pk).update(slow_mode_seconds=60)
    thread.refresh_from_db()
    meanwhile(lambda: _post(thread, alice, "The first one."))
    with pytest.raises(RateLimited) as refused:
        _post(thread, alice, "The second one.")
    assert 0 < refused.value.retry_after <= 60
    assert Comment.objects.count() == 1


def test_removing_the_parent_meanwhile_refuses_the_reply(alice, bob, thread, moderator, meanwhile):
    parent = _post(thread, bob, "Water is back on Elm Street.").comment
    rule = parent.terms_version.rules.first()
    meanwhile(lambda: remove_comment(parent, by=moderator, rule=rule))
    with pytest.raises(InvalidReply):
        _post(thread, alice, "Not on Oak Street.", parent=parent)
    assert Comment.objects.filter(parent=parent).count() == 0


def test_another_readers_comment_meanwhile_needs_no_second_check(alice, bob, thread, meanwhile):
    meanwhile(lambda: _post(thread, bob, "Crews are still out."))
    with CaptureQueriesContext(connection) as queries:
        result = _post(thread, alice)
    assert result.is_visible
    # The checks ran once: one read of the author's recent comments.
    recent = [q for q in queries.captured_queries if 'AS "pk"' in q["sql"]]
    assert len(recent) == 2  # alice's, then bob's inside "meanwhile"
    thread.refresh_from_db()
    assert thread.comment_count == 2


# Who is sanctioned or pre-moderated is kept in each process's memory under
# a version that every change moves. bulk_create sends no post_save, so it
# stands for a change a process did not hear of (its bump was lost): the
# write's re-check must still catch it, and the checks run again afresh.


def test_a_sanction_the_process_did_not_hear_of_still_refuses(alice, thread):
    _post(thread, alice, "The first one.")
    Sanction.objects.bulk_create([Sanction(user=alice, kind=SanctionKind.BAN)])
    with pytest.raises(CommentRefused) as refused:
        _post(thread, alice, "The second one.")
    assert refused.value.code == "sanctioned"
    assert Comment.objects.filter(author=alice).count() == 1
    assert _elsewhere(thread).comment_count == 1


def test_a_premoderation_the_process_did_not_hear_of_still_holds(alice, thread):
    _post(thread, alice, "The first one.")
    PremoderatedReader.objects.bulk_create([PremoderatedReader(reader=alice)])
    result = _post(thread, alice, "The second one.")
    assert result.comment.status == CommentStatus.HELD
    assert result.comment.held_reason == "premoderated_reader"
    assert _elsewhere(thread).comment_count == 1


def test_a_sanction_made_through_the_moderators_is_heard_at_once(alice, thread, moderator):
    _post(thread, alice, "The first one.")
    ban_user(alice, by=moderator)
    with CaptureQueriesContext(connection) as queries, pytest.raises(CommentRefused):
        _post(thread, alice, "The second one.")
    # Refused by the checks, before any write was tried.
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
