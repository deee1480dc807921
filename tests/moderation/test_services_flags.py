"""moderation.decisions.flag_comment: readers report comments."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from soundoff.accounts.queries import current_rules
from soundoff.discussion.errors import NotSignedIn
from soundoff.discussion.models import CommentStatus
from soundoff.discussion.services import delete_comment, post_comment
from soundoff.moderation.decisions import flag_comment
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.errors import FlagRefused
from soundoff.moderation.models import ActionKind, Flag, ModerationAction, Sanction, SanctionKind
from testkit.cast import CLIENT, make_reader


@pytest.fixture
def comment(alice, thread):
    return post_comment(thread, author=alice, body="A strong opinion.", client=CLIENT).comment


@pytest.fixture
def rule(policies):
    return current_rules()[1]


def test_a_reader_flags_a_comment_citing_a_rule(bob, comment, rule):
    flag = flag_comment(comment, by=bob, rule=rule)
    comment.refresh_from_db()
    assert (flag.reporter, flag.rule, flag.is_open) == (bob, rule, True)
    assert comment.open_flags == 1
    assert comment.status == CommentStatus.VISIBLE


def test_other_needs_an_explanation(bob, comment):
    with pytest.raises(FlagRefused, match="explain"):
        flag_comment(comment, by=bob, explanation="   ")
    flag = flag_comment(comment, by=bob, explanation="  It names my neighbour.  ")
    assert flag.rule is None
    assert flag.explanation == "It names my neighbour."


def test_an_explanation_over_500_characters_is_refused(bob, comment):
    with pytest.raises(FlagRefused, match="500"):
        flag_comment(comment, by=bob, explanation="x" * 501)
    assert not Flag.objects.exists()


def test_a_second_flag_by_the_same_reader_is_refused(bob, comment, rule):
    flag_comment(comment, by=bob, rule=rule)
    with pytest.raises(FlagRefused, match="already reported"):
        flag_comment(comment, by=bob, explanation="Again.")
    comment.refresh_from_db()
    assert Flag.objects.count() == 1
    assert comment.open_flags == 1


def test_a_reader_cannot_flag_their_own_comment(alice, comment, rule):
    with pytest.raises(FlagRefused, match="your own"):
        flag_comment(comment, by=alice, rule=rule)
    assert not Flag.objects.exists()


def test_a_comment_no_longer_shown_cannot_be_flagged(alice, bob, comment, rule):
    delete_comment(comment, by=alice)
    with pytest.raises(FlagRefused, match="no longer shown"):
        flag_comment(comment, by=bob, rule=rule)


def test_logged_out_readers_cannot_flag(comment, rule):
    with pytest.raises(NotSignedIn):
        flag_comment(comment, by=AnonymousUser(), rule=rule)


def test_suspended_readers_cannot_flag_and_are_told_until_when(bob, comment, rule):
    Sanction.objects.create(
        user=bob, kind=SanctionKind.SUSPENSION, ends_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(FlagRefused, match="suspended") as refused:
        flag_comment(comment, by=bob, rule=rule)
    assert refused.value.code == "sanctioned"
    assert not Flag.objects.exists()


def test_flagging_is_rate_limited(alice, bob, thread, rule, settings):
    settings.SOUNDOFF_FLAG_RATE = "2/3600"
    comments = [
        post_comment(thread, author=alice, body=f"Take {n}.", client=CLIENT).comment
        for n in range(3)
    ]
    flag_comment(comments[0], by=bob, rule=rule)
    flag_comment(comments[1], by=bob, rule=rule)
    with pytest.raises(FlagRefused) as refused:
        flag_comment(comments[2], by=bob, rule=rule)
    assert refused.value.code == "rate_limited"
    assert Flag.objects.count() == 2


def test_flags_at_the_threshold_withhold_the_comment(comment, thread, rule, settings):
    settings.SOUNDOFF_FLAG_THRESHOLD = 2
    flag_comment(comment, by=make_reader(), rule=rule)
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert thread.comment_count == 1

    flag_comment(comment, by=make_reader(), rule=rule)
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert comment.held_reason == "flags"
    assert thread.comment_count == 0
    action = ModerationAction.objects.get(action=ActionKind.WITHHELD)
    assert action.actor is None
    assert (action.comment, action.user) == (comment, comment.author)
    assert (action.status_before, action.status_after) == ("visible", "held")
    assert action.rule == rule
    assert action.reason_code == "flags"


def test_the_pipelines_own_flags_do_not_count_towards_the_threshold(alice, thread, rule, settings):
    settings.SOUNDOFF_FLAG_THRESHOLD = 2
    update_word_list("suspect", by=None, words="scam")
    comment = post_comment(thread, author=alice, body="A scam, www.a.b", client=CLIENT).comment
    comment.refresh_from_db()
    assert comment.open_flags == 1

    flag_comment(comment, by=make_reader(), rule=rule)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert comment.open_flags == 2
