"""Offensive language from ``alt-profanity-check``'s model.

The wheel ships a fitted scikit-learn model as two joblib files: a TF-IDF
word vectoriser and a linear SVM calibrated to probabilities, trained on
about 200,000 labelled strings. It weighs words, not sentences, so it is good
at profanity and blunt insults and blind to a threat written in polite words;
the toxicity network covers more of that. Profanity is offensive here only
when it is aimed at someone: for a comment that addresses nobody ("Holy
shit, the water bill went up 38 percent?") the score is 0, and the
toxicity network's insult label judges attacks on third persons.

The distribution pins scikit-learn and joblib to exact versions: the joblib
files only load in the scikit-learn that wrote them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .address import addresses_someone
from .base import Score, distribution_version, load_once

DISTRIBUTION = "alt-profanity-check"

Predictor = Callable[[Sequence[str]], Any]


class OffensiveScorer:
    name = DISTRIBUTION

    @property
    def version(self) -> str:
        return distribution_version(DISTRIBUTION)

    def score(self, text: str) -> Score:
        # Not run at all on text aimed at nobody: it is this scorer's whole cost.
        value = float(predictor()([text])[0]) if addresses_someone(text) else 0.0
        return Score(kind="offensive", value=value, model=self.name, version=self.version)


def _load_predictor() -> Predictor:
    # Importing the package is what loads its model (scikit-learn and two
    # joblib files, about two seconds), hence here and once.
    from profanity_check import predict_prob

    return predict_prob


predictor = load_once(_load_predictor)
