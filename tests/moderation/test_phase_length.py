import pytest

from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import length
from testkit.cast import CLIENT


def _check(author, thread, body):
    return length.check(Submission(thread=thread, author=author, body=body, client=CLIENT))


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n", "\u00a0 "])
def test_empty_or_whitespace_is_refused(alice, thread, body):
    verdict = _check(alice, thread, body)
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "empty"
    assert "empty" in verdict.detail


def test_text_at_the_limit_passes_and_one_over_is_refused(alice, thread, settings):
    settings.SOUNDOFF_MAX_COMMENT_LENGTH = 20
    assert _check(alice, thread, "x" * 20) is None
    verdict = _check(alice, thread, "x" * 21)
    assert verdict.reason == "too_long"
    assert "21" in verdict.detail and "20" in verdict.detail


def test_default_limit_is_five_thousand(alice, thread):
    assert _check(alice, thread, "y" * 5000) is None
    assert _check(alice, thread, "y" * 5001).reason == "too_long"


@pytest.mark.parametrize("body", ["nul\x00byte", "lone \ud800 surrogate", "bell\x07"])
def test_text_the_database_cannot_store_is_refused(alice, thread, body):
    verdict = _check(alice, thread, body)
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "unstorable"
    assert verdict.detail


def test_ordinary_text_passes(alice, thread):
    assert _check(alice, thread, "Tabs\tand\nnewlines, émoji 🎉 and ümlauts are fine.") is None
