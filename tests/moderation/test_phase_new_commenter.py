from datetime import timedelta

import pytest

from soundoff.accounts.queries import current_rules
from soundoff.discussion.services import post_comment
from soundoff.moderation.decisions import approve_comment, remove_comment
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import new_commenter
from testkit.cast import CLIENT


def _check(author, thread, **extra):
    return new_commenter.check(
        Submission(thread=thread, author=author, body="Hi", client=CLIENT, **extra)
    )


def _post(thread, author, body):
    return post_comment(thread, author=author, body=body, client=CLIENT).comment


def test_off_by_default(alice, thread):
    assert _check(alice, thread) is None


@pytest.fixture
def first_two(settings):
    settings.SOUNDOFF_PREMODERATE_FIRST = 2
    settings.SOUNDOFF_REPEAT_WINDOW = 0


def test_the_first_comments_of_an_account_are_held_and_flagged(alice, thread, first_two):
    verdict = _check(alice, thread)
    assert verdict.outcome is Outcome.HELD
    assert verdict.reason == "new_commenter"
    assert verdict.flags == ("new_commenter",)
    _post(thread, alice, "One.")
    assert _check(alice, thread).outcome is Outcome.HELD
    _post(thread, alice, "Two.")
    assert _check(alice, thread) is None


def test_an_approved_comment_ends_pre_moderation(alice, thread, first_two):
    approve_comment(_post(thread, alice, "One."), by=None)
    assert _check(alice, thread) is None


def test_a_removed_comment_does_not_end_pre_moderation(alice, thread, first_two):
    remove_comment(_post(thread, alice, "One."), by=None, rule=current_rules()[0])
    assert _check(alice, thread).outcome is Outcome.HELD


def test_edits_are_not_held_as_new(alice, thread, first_two):
    comment = _post(thread, alice, "One.")
    assert _check(alice, thread, editing=comment) is None


def test_it_counts_comments_not_account_age(alice, thread, first_two):
    alice.date_joined -= timedelta(days=365)
    alice.save()
    assert _check(alice, thread).outcome is Outcome.HELD
