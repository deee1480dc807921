import pytest

from soundoff.discussion.models import DiscussionMode
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import discussion_mode
from testkit.cast import CLIENT, make_post


def _check(author, thread, **extra):
    return discussion_mode.check(
        Submission(thread=thread, author=author, body="Hi", client=CLIENT, **extra)
    )


def test_an_open_discussion_passes(alice, thread):
    assert _check(alice, thread) is None


def test_a_premoderated_discussion_holds_every_comment(alice):
    verdict = _check(alice, make_post(discussion=DiscussionMode.PREMODERATED).thread)
    assert verdict.outcome is Outcome.HELD
    assert verdict.reason == "premoderated"
    assert verdict.flags == ()


def test_edits_in_a_premoderated_discussion_are_held_too(alice):
    thread = make_post(discussion=DiscussionMode.PREMODERATED).thread
    assert _check(alice, thread, editing=object()).outcome is Outcome.HELD


@pytest.mark.parametrize("mode", [DiscussionMode.PREMODERATE_SUSPECT, DiscussionMode.CLOSED])
def test_other_modes_leave_it_to_their_own_phases(alice, mode):
    assert _check(alice, make_post(discussion=mode).thread) is None
