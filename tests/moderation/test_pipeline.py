"""The pipeline's contract: order, first outcome wins, refusals stop, flags
accumulate. Phases are tested one module each beside this file."""

import pytest

from soundoff.moderation.pipeline import Outcome, Submission, Verdict, evaluate
from testkit.cast import CLIENT


@pytest.fixture
def submission(alice, thread):
    return Submission(thread=thread, author=alice, body="Hello", client=CLIENT)


def _phase(verdict, calls, name):
    def phase(submission):
        calls.append(name)
        return verdict

    return phase


def test_no_verdict_means_visible_at_once(submission):
    assert evaluate(submission, phases=[lambda s: None]).outcome is Outcome.VISIBLE


def test_first_outcome_wins_and_flags_accumulate(submission):
    calls = []
    evaluation = evaluate(
        submission,
        phases=[
            _phase(Verdict(flags=("links",)), calls, "a"),
            _phase(Verdict(outcome=Outcome.HELD, reason="premod", flags=("new",)), calls, "b"),
            _phase(Verdict(outcome=Outcome.HELD, reason="later", flags=("suspect",)), calls, "c"),
        ],
    )
    assert evaluation.outcome is Outcome.HELD
    assert evaluation.reason == "premod"
    assert evaluation.flags == ("links", "new", "suspect")
    assert calls == ["a", "b", "c"]


def test_a_refusal_stops_the_run(submission):
    calls = []
    evaluation = evaluate(
        submission,
        phases=[
            _phase(Verdict(outcome=Outcome.HELD, reason="premod"), calls, "a"),
            _phase(Verdict(outcome=Outcome.REFUSED, reason="empty", detail="Empty."), calls, "b"),
            _phase(None, calls, "c"),
        ],
    )
    assert evaluation.outcome is Outcome.REFUSED
    assert evaluation.reason == "empty"
    assert calls == ["a", "b"]


def test_the_default_order_checks_text_before_counting_the_rate(alice, thread, settings):
    settings.SOUNDOFF_COMMENT_RATE = "1/3600"
    empty = Submission(thread=thread, author=alice, body="   ", client=CLIENT)
    for _ in range(3):
        assert evaluate(empty).reason == "empty"
    ok = Submission(thread=thread, author=alice, body="Fine", client=CLIENT)
    assert evaluate(ok).outcome is Outcome.VISIBLE
    assert evaluate(ok).reason == "rate_limited"


@pytest.mark.parametrize(
    ("body", "texts"),
    [
        # Plain text reads as it is typed: one reading for every word list.
        ("Stay off\n\nthe river  road.", ["Stay off\n\nthe river  road."]),
        # Markdown and entities change the words: the page's text is read too.
        ("Stay *of*f the road.", ["Stay *of*f the road.", "\nStay off the road.\n\n"]),
        ("Stay &#111;ff the road.", ["Stay &#111;ff the road.", "\nStay off the road.\n\n"]),
    ],
)
def test_the_word_checks_read_the_page_text_only_where_it_differs(alice, thread, body, texts):
    submission = Submission(thread=thread, author=alice, body=body, client=CLIENT)
    assert [reading.text for reading in submission.readings] == texts
