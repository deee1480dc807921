"""Spam from a linear model of our own, shipped as ``spam_model.json``.

The model is scikit-learn's TF-IDF word vectoriser and logistic regression,
fitted by bench/scoring/train_spam.py on real e-mail: the SpamAssassin
public corpus (PDDL 1.0 / CC0 1.0), cut down to the text a comment could
hold. bench/scoring/RESULTS.md has its precision and recall on the part of
the corpus it never saw, and its false alarms on clean comments that cite
prices, percentages, court filings and links.

The file holds the fitted numbers, not a pickle: each word's inverse
document frequency and weight, and the intercept. This module redoes the
vectoriser's arithmetic (lower-case, words of two or more letters or
digits, sublinear term frequency, times IDF, L2-normalised, dot the
weights), so the shipped model loads in any Python with no scikit-learn at
all, and a new scikit-learn can never make it unreadable.
tests/moderation/test_scoring_spam.py checks the arithmetic against
scikit-learn's own.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import Score, distribution_version, load_once

MODEL_NAME = "soundoff-spam-linear"
MODEL_FILE = Path(__file__).with_name("spam_model.json")
FORMAT = 2

# scikit-learn's default token_pattern: runs of two or more word characters.
# It runs in time linear in the text.
TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class SpamModel:
    intercept: float
    terms: Mapping[str, tuple[float, float]]  # word -> (idf, weight)
    digest: str  # short hash of the model file, part of the scores' version

    @classmethod
    def from_dict(cls, model: Mapping[str, Any]) -> SpamModel:
        if model.get("format") != FORMAT:
            raise ValueError(f"spam model format {model.get('format')!r}; expected {FORMAT}")
        terms = {
            term: (float(idf), float(weight)) for term, (idf, weight) in model["terms"].items()
        }
        if not terms:
            raise ValueError("a spam model needs at least one term")
        canonical = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
        return cls(
            intercept=float(model["intercept"]),
            terms=terms,
            digest=hashlib.sha256(canonical).hexdigest()[:12],
        )

    def probability(self, text: str) -> float:
        counts = Counter(t for t in TOKEN.findall(text.lower()) if t in self.terms)
        squares = dot = 0.0
        for term, count in counts.items():
            idf, weight = self.terms[term]
            value = (1.0 + math.log(count)) * idf
            squares += value * value
            dot += value * weight
        log_odds = self.intercept + (dot / math.sqrt(squares) if squares else 0.0)
        # A numerically safe logistic: exp() of a large positive number overflows.
        if log_odds >= 0:
            return 1.0 / (1.0 + math.exp(-log_odds))
        odds = math.exp(log_odds)
        return odds / (1.0 + odds)


class SpamScorer:
    name = MODEL_NAME

    @property
    def version(self) -> str:
        # Soundoff's version plus the model's hash: a retrained model is a
        # different model even if Soundoff is not a different release.
        return f"{distribution_version('soundoff')}+{model().digest}"

    def score(self, text: str) -> Score:
        value = model().probability(text)
        return Score(kind="spam", value=value, model=self.name, version=self.version)


def _load_model() -> SpamModel:
    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{MODEL_FILE} is missing. Rebuild it with bench/scoring/train_spam.py, "
            "and check that the package data includes moderation/scoring/*.json."
        ) from None
    return SpamModel.from_dict(data)


model = load_once(_load_model)
