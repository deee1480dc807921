import importlib

import pytest
from django.apps import apps

from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.models import WordList
from soundoff.moderation.pipeline import Outcome, Submission, evaluate
from soundoff.moderation.pipeline.phases import banned_words
from soundoff.moderation.wordlists import compiled_lists
from testkit.cast import CLIENT


def _submission(author, thread, body, **extra):
    return Submission(thread=thread, author=author, body=body, client=CLIENT, **extra)


def _check(author, thread, body, **extra):
    return banned_words.check(_submission(author, thread, body, **extra))


@pytest.fixture
def banned(db):
    return update_word_list("banned", by=None, words="idiot\nass\nmoron", rule_number=2)


def test_no_list_refuses_nothing(alice, thread):
    WordList.objects.all().delete()
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


# The default lists, as the data migration installs them.


@pytest.mark.parametrize(
    ("body", "seen"),
    [
        ("Typical n&#105;gger talk.", "nigger"),
        ("What a f**a**ggot.", "f**a**ggot"),  # the source reads it too, masked
        ("A [k`ike`](https://example.org/x) wrote this", "kike"),
        ("&#x74;ranny", "tranny"),
    ],
)
def test_a_slur_spelled_by_markdown_or_entities_is_refused_as_seen(alice, thread, body, seen):
    verdict = _check(alice, thread, body)
    assert verdict.outcome is Outcome.REFUSED
    assert f"“{seen}”" in verdict.detail
    assert "Rule 3 (No hate speech)" in verdict.detail


@pytest.mark.parametrize(
    "body", ["Tr@nnies, all of them", "faggots", "f*ggot", "n****r", "ꜰᴀɢɢᴏᴛ", "RETARDED"]
)
def test_the_default_list_refuses_plurals_masks_and_lookalikes(alice, thread, body):
    verdict = _check(alice, thread, body)
    assert verdict.outcome is Outcome.REFUSED
    assert "Rule 3 (No hate speech)" in verdict.detail


@pytest.mark.parametrize(
    "body",
    [
        "Their one chink in the armor is the budget.",
        "My tranny went out on Route 9.",
        "Cold nights retard the progression of the blight.",
        "A Maine coon won the show.",
        "Spic and Span sponsored the fair.",
        "Scunthorpe beat Grimsby.",
        "The assassin was never caught.",
        "A class of 30.",
        "Ask a therapist.",
        # An old word for stingy with no tie to the slur; the matcher reads
        # whole words, so it passes like any other word that merely shares letters.
        "A niggardly budget for the library.",
        "The fire retardant worked.",
    ],
)
def test_innocent_phrases_and_words_pass_the_default_list(alice, thread, body):
    assert _check(alice, thread, body) is None


def test_an_allowed_phrase_does_not_excuse_the_slur_beside_it(alice, thread):
    verdict = _check(alice, thread, "A chink in the armor, you chink.")
    assert verdict.outcome is Outcome.REFUSED


def test_the_allowed_list_is_the_operators_to_edit(alice, thread):
    assert _check(alice, thread, "My tranny went out.") is None
    update_word_list("allowed", by=None, words="chink in the armor")
    assert _check(alice, thread, "My tranny went out.").outcome is Outcome.REFUSED


def test_installing_the_defaults_again_keeps_the_operators_lists(db):
    migration = importlib.import_module(
        "soundoff.moderation.migrations.0004_word_list_allowed_kind"
    )
    update_word_list("banned", by=None, words="turnip", rule_number=2)
    WordList.objects.filter(kind="allowed").delete()
    migration.install_defaults(apps, None)
    lists = compiled_lists()
    assert lists["banned"].matcher.entries == ("turnip",)
    assert lists["banned"].rule_number == 2
    assert "chink in the armor" in lists["allowed"].matcher.entries
