"""The on-server scorers: the contract of score_comment_text and the toxicity network.

The models load once per process (load_once), so only the first test that
touches one pays for it.
"""

import importlib.metadata
import io
import logging
import pickle
import threading
import time

import h5py
import numpy as np
import pytest

from soundoff.moderation import scoring
from soundoff.moderation.scoring import score_comment_text, toxicity
from soundoff.moderation.scoring.address import addresses_someone
from soundoff.moderation.scoring.base import Score, load_once
from soundoff.moderation.scoring.offensive import OffensiveScorer
from soundoff.moderation.scoring.toxicity import ToxicityScorer
from soundoff.moderation.scoring_plan import THRESHOLDS, over_threshold
from testkit.at_once import stopped_in

HOSTILE = "You are a worthless idiot and everyone here hates you. Shut up, moron."
NEUTRAL = "The council meeting about the new bridge is on Tuesday at 7pm in the library."
SECRET = "my neighbour Jane Q. Example at 12 Elm Street"


class Exploding:
    name = "exploding-model"
    version = "1.0"

    def score(self, text: str) -> Score:
        raise ValueError(f"cannot score {text!r}")


class Fixed:
    name = "fixed-model"
    version = "2.0"

    def score(self, text: str) -> Score:
        return Score(kind="spam", value=0.25, model=self.name, version=self.version)


def test_toxicity_ranks_a_hostile_comment_above_a_neutral_one():
    scorer = ToxicityScorer()
    hostile, neutral = scorer.score(HOSTILE), scorer.score(NEUTRAL)
    assert hostile.kind == neutral.kind == "toxicity"
    assert hostile.value > 0.9
    assert neutral.value < 0.05


def test_offensive_ranks_a_hostile_comment_above_a_neutral_one():
    scorer = OffensiveScorer()
    assert scorer.score(HOSTILE).value > 0.9 > 0.1 > scorer.score(NEUTRAL).value


# Profanity aimed at no one: the toxicity network's "toxic" label gave the
# first 0.97, and alt-profanity-check 0.82.
MILD = [
    "Holy shit, the water bill went up 38 percent?",
    "Damn, that storm was a hell of a thing.",
    "Well shit, they closed the bridge again.",
    "What the fuck, 40 minutes to cross the bridge again.",
]
AIMED = [
    "Shut your damn mouth, you dope.",
    "You are a fucking idiot.",
    "Go to hell, you pathetic loser.",
]


@pytest.mark.parametrize("text", MILD)
def test_profanity_aimed_at_no_one_scores_low(text, settings):
    cut = settings.SOUNDOFF_TOXICITY_THRESHOLD
    assert ToxicityScorer().score(text).value <= cut
    assert OffensiveScorer().score(text).value == 0.0
    # ...though the network does hear the curse: the gate is what spares it.
    assert toxicity.network().probabilities(text)["obscene"] > 0.5


@pytest.mark.parametrize("text", AIMED)
def test_profanity_aimed_at_a_reader_scores_high(text, settings):
    cut = settings.SOUNDOFF_TOXICITY_THRESHOLD
    assert max(ToxicityScorer().score(text).value, OffensiveScorer().score(text).value) > cut


def test_an_insult_aimed_at_a_third_person_still_counts(settings):
    text = "The mayor is a fucking moron and a crook."
    assert ToxicityScorer().score(text).value > settings.SOUNDOFF_TOXICITY_THRESHOLD


@pytest.mark.parametrize(
    ("text", "addressed"),
    [
        ("You are wrong.", True),
        ("Your numbers are off", True),
        ("you\u2019re kidding", True),
        ("ur a clown", True),
        ("The U.S. attorney's office", False),
        ("The young council", False),
        ("Yours truly is the mayor's staff", True),
        ("Holy shit, 38 percent?", False),
        ("", False),
    ],
)
def test_a_comment_addresses_someone_when_it_says_you(text, addressed):
    assert addresses_someone(text) is addressed


@pytest.mark.parametrize("text", ["", "   ", HOSTILE, NEUTRAL, "word " * 500, "Ünïcödé ✓ 🙂"])
def test_every_installed_scorer_gives_a_probability_and_names_its_model(text):
    scores = score_comment_text(text)
    assert {s.kind for s in scores} == {
        "toxicity",
        "offensive",
        "spam",
        "threat",
        "doxxing",
        "identity_hate",
    }
    for score in scores:
        assert isinstance(score.value, float)
        assert 0.0 <= score.value <= 1.0
        assert score.model and score.version


def test_scores_name_the_installed_package_versions():
    by_kind = {s.kind: s for s in score_comment_text(NEUTRAL)}
    assert by_kind["toxicity"].model == "toxic-comment-classifier"
    assert by_kind["toxicity"].version == importlib.metadata.version("toxic-comment-classifier")
    assert by_kind["offensive"].version == importlib.metadata.version("alt-profanity-check")


def test_a_failing_scorer_is_skipped_and_logged_without_the_text(caplog):
    with caplog.at_level(logging.WARNING, logger="soundoff.moderation.scoring"):
        scores = score_comment_text(SECRET, scorers=[Exploding(), Fixed()])
    assert [s.model for s in scores] == ["fixed-model"]
    assert [r.getMessage() for r in caplog.records] == [
        "scorer exploding-model failed (ValueError)"
    ]
    for record in caplog.records:
        assert record.exc_info is None
        assert "Elm" not in record.getMessage()


def test_empty_text_scores_every_kind_once_and_under_every_threshold():
    scores = score_comment_text("")
    assert sorted(score.kind for score in scores) == sorted(THRESHOLDS)
    assert all(0 <= score.value < 0.2 for score in scores), scores
    assert over_threshold(scores) is None


def test_no_scorers_give_no_scores():
    assert score_comment_text("Anything at all.", scorers=[]) == []


def test_an_uninstalled_scorer_is_left_out_with_a_warning(monkeypatch, caplog):
    class Missing(Fixed):
        name = "not-installed"

        @property
        def version(self) -> str:
            raise importlib.metadata.PackageNotFoundError(self.name)

    monkeypatch.setattr(scoring, "all_scorers", lambda: (Missing(), Fixed()))
    scoring.available_scorers.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="soundoff.moderation.scoring"):
            assert [s.name for s in scoring.available_scorers()] == ["fixed-model"]
    finally:
        scoring.available_scorers.cache_clear()
    assert "not-installed unavailable" in caplog.text


def test_load_once_loads_once_across_threads_and_retries_after_a_failure():
    calls = []
    loading = threading.Event()

    def slow_loader() -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        loading.wait(10)
        return object()

    get = load_once(slow_loader)
    with pytest.raises(OSError):
        get()
    results = []
    threads = [threading.Thread(target=lambda: results.append(get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    # The load goes on until every other thread is waiting in get() for it
    # (without the lock, they would be loading too: more calls, never that).
    deadline = time.monotonic() + 10
    while (
        stopped_in(threads, "load_once.<locals>.get") < len(threads) - 1
        and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    loading.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 2
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_tokenizer_splits_and_filters_as_keras_does():
    tokenizer = toxicity.network().tokenizer
    assert tokenizer.ids("You, IDIOT!!") == tokenizer.ids("you idiot")
    assert tokenizer.ids("you\tidiot\n") == tokenizer.ids("you idiot")
    assert len(tokenizer.ids("you idiot")) == 2
    # Unknown words are dropped, not mapped to an out-of-vocabulary id.
    assert tokenizer.ids("zxqvbnmlkj you") == tokenizer.ids("you")
    assert all(0 < i < 20000 for i in tokenizer.ids(NEUTRAL + " " + HOSTILE))


def test_tokenizer_pickle_may_build_nothing_but_a_tokenizer():
    evil = pickle.dumps(print)  # any global outside the allow-list
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        toxicity._TokenizerUnpickler(io.BytesIO(evil)).load()


def _reference_probabilities(text: str) -> np.ndarray:
    """The network computed the plain way, in float64, straight from the .h5.

    No halved gate weights and no cached padding states: if the fast path in
    toxicity.py drifts from the Keras model, this disagrees.
    """
    ids = toxicity.network().tokenizer.ids(text)[-toxicity.MAXLEN :]
    padded = [0] * (toxicity.MAXLEN - len(ids)) + ids
    with h5py.File(toxicity._installed_file(toxicity._WEIGHTS), "r") as f:

        def var(layer, index):
            return np.asarray(f[f"layers/{layer}/vars/{index}"], dtype=np.float64)

        def lstm(direction, inputs):
            kernel, recurrent, bias = (
                var(f"bidirectional/{direction}_layer/cell", i) for i in range(3)
            )
            h, c, outputs = np.zeros(50), np.zeros(50), []
            for x in inputs:
                i, f_, g, o = np.split(x @ kernel + h @ recurrent + bias, 4)
                c = sigmoid(f_) * c + sigmoid(i) * np.tanh(g)
                h = sigmoid(o) * np.tanh(c)
                outputs.append(h)
            return np.array(outputs)

        def sigmoid(x):
            return 1 / (1 + np.exp(-x))

        inputs = var("embedding", 0)[padded]
        forward = lstm("forward", inputs)
        backward = lstm("backward", inputs[::-1])[::-1]
        pooled = np.concatenate([forward, backward], axis=1).max(axis=0)
        hidden = np.maximum(pooled @ var("dense", 0) + var("dense", 1), 0)
        return sigmoid(hidden @ var("dense_1", 0) + var("dense_1", 1))


@pytest.mark.parametrize(
    "text",
    ["", HOSTILE, NEUTRAL, "the " * 99 + "idiot", "idiot " + "the " * 150, "I will find you"],
)
def test_numpy_forward_pass_matches_a_plain_reference(text):
    fast = list(toxicity.network().probabilities(text).values())
    np.testing.assert_allclose(fast, _reference_probabilities(text), atol=1e-5)
