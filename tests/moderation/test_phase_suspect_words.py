import pytest

from soundoff.discussion.models import DiscussionMode
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import suspect_words
from testkit.cast import CLIENT, make_post


def _check(author, thread, body, **extra):
    return suspect_words.check(
        Submission(thread=thread, author=author, body=body, client=CLIENT, **extra)
    )


@pytest.fixture(autouse=True)
def suspect(db):
    return update_word_list("suspect", by=None, words="scam\nlawsuit")


def test_text_without_a_suspect_word_passes(alice, thread):
    assert _check(alice, thread, "A fine article about the bake sale.") is None


def test_a_suspect_word_flags_but_does_not_hold_an_open_discussion(alice, thread):
    verdict = _check(alice, thread, "This whole thing is a SCAM.")
    assert verdict.outcome is None
    assert verdict.flags == ("suspect_word",)


def test_a_disguised_suspect_word_is_flagged(alice, thread):
    assert _check(alice, thread, "s c 4 m").flags == ("suspect_word",)


def test_a_suspect_word_is_held_where_the_post_asks(alice):
    thread = make_post(discussion=DiscussionMode.PREMODERATE_SUSPECT).thread
    verdict = _check(alice, thread, "I smell a lawsuit.")
    assert verdict.outcome is Outcome.HELD
    assert verdict.reason == "suspect_word"
    assert verdict.flags == ("suspect_word",)


def test_edits_are_checked_too(alice, thread):
    assert _check(alice, thread, "scam", editing=object()).flags == ("suspect_word",)


def test_a_banned_list_entry_is_not_suspect(alice, thread):
    update_word_list("banned", by=None, words="moron")
    assert _check(alice, thread, "moron") is None


def test_a_suspect_word_seen_only_on_the_page_flags(alice, thread):
    assert _check(alice, thread, "a sc&#97;m").flags == ("suspect_word",)
    assert _check(alice, thread, "a s**ca**m").flags == ("suspect_word",)


def test_a_suspect_word_inside_an_allowed_phrase_passes(alice, thread):
    update_word_list("allowed", by=None, words="class action lawsuit")
    assert _check(alice, thread, "They filed a class action lawsuit.") is None
    assert _check(alice, thread, "Another lawsuit.").flags == ("suspect_word",)
