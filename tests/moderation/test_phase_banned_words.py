import pytest

from soundoff.moderation.pipeline import Outcome, Submission, evaluate
from soundoff.moderation.pipeline.phases import banned_words
from soundoff.moderation.services import update_word_list
from soundoff.testing import CLIENT


def _submission(author, thread, body, **extra):
    return Submission(thread=thread, author=author, body=body, client=CLIENT, **extra)


def _check(author, thread, body, **extra):
    return banned_words.check(_submission(author, thread, body, **extra))


@pytest.fixture
def banned(db):
    return update_word_list("banned", by=None, words="idiot\nass\nmoron", rule_number=2)


def test_no_list_refuses_nothing(alice, thread):
    assert _check(alice, thread, "You idiot.") is None


def test_a_banned_word_refuses_citing_the_rule_and_the_word(alice, thread, banned):
    verdict = _check(alice, thread, "What an Idiot you are.")
    assert verdict.outcome is Outcome.REFUSED
    assert verdict.reason == "banned_word"
    assert "Rule 2 (No personal attacks or harassment)" in verdict.detail
    assert "“Idiot”" in verdict.detail


def test_the_rule_cited_follows_the_lists_rule_number(alice, thread, banned):
    update_word_list("banned", by=None, words=banned.words, rule_number=10)
    assert "Rule 10 (Keep it civil)" in _check(alice, thread, "moron").detail


def test_without_a_rule_number_it_still_refuses(alice, thread):
    update_word_list("banned", by=None, words="idiot")
    verdict = _check(alice, thread, "idiot")
    assert verdict.outcome is Outcome.REFUSED
    assert "Rule" not in verdict.detail


@pytest.mark.parametrize(
    "body", ["i d i 0 t", "IDIOOOT", "you 1d10t", "i.d.i.o.t!", "idiots, all of you"]
)
def test_disguised_banned_words_are_refused(alice, thread, banned, body):
    assert _check(alice, thread, body).outcome is Outcome.REFUSED


@pytest.mark.parametrize(
    "body", ["A class act.", "Pass the bill.", "As soon as possible.", "An assessment"]
)
def test_words_containing_a_banned_word_pass(alice, thread, banned, body):
    assert _check(alice, thread, body) is None


def test_edits_are_checked_too(alice, thread, banned):
    assert _check(alice, thread, "idiot", editing=object()) is not None


def test_regex_metacharacters_in_the_list_are_plain_text(alice, thread):
    update_word_list("banned", by=None, words="a.b*\n(x|y)+\n[", rule_number=2)
    assert _check(alice, thread, "axb yyy x") is None
    assert _check(alice, thread, "a.b") is not None


def test_adversarial_input_through_the_pipeline_is_judged_right(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    update_word_list("banned", by=None, words="idiot\ni l l i x\n1!1!1!1!x\nass", rule_number=2)
    update_word_list("suspect", by=None, words="illiterate\nlll")
    bodies = {
        ("1 ! " * 1250)[:5000]: Outcome.VISIBLE,
        "i" * 4999 + "x": Outcome.VISIBLE,
        "i!1|" * 1250: Outcome.VISIBLE,
        ("i l " * 1250)[:5000]: Outcome.VISIBLE,
        "a" * 2500 + "s" * 2500: Outcome.REFUSED,  # "ass", its letters repeated
    }
    # Linear work is proven by counting in tests/lib/test_wordmatch.py.
    outcomes = {body: evaluate(_submission(alice, thread, body)).outcome for body in bodies}
    assert outcomes == bodies
