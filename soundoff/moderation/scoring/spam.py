"""Spam from a small naive-Bayes model of our own, shipped as ``spam_model.json``.

Why not ``antispam``, the packaged naive-Bayes filter: it installs and runs
on Python 3.13, but its model was trained on e-mail in 2015 and does not
transfer to comments. On bench/scoring's labelled set it flagged fewer than
half the spam at any threshold, and gave sharply worded and abusive (but not
spam) comments scores of 0.99 or more, so its flags were wrong more often
than right (bench/scoring/RESULTS.md has the numbers). It also fails on a
text with no word of three letters, and unpickles its model with no
restriction.

This model is a multinomial naive Bayes over the *set* of features in a
comment (words, plus markers for links, money, phone numbers, shouting and
runs of exclamation marks, which is what comment spam is made of). It stores
counts, not probabilities, so more examples can be added to it later: the
obvious ones are moderators' decisions, "removed as spam" versus "approved".
``train_spam_model`` builds one from labelled examples; the shipped file was
built from bench/scoring/eval_set.jsonl by bench/scoring/train_spam.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import Score, distribution_version, load_once

MODEL_NAME = "soundoff-spam-naive-bayes"
MODEL_FILE = Path(__file__).with_name("spam_model.json")
FORMAT = 1
SMOOTHING = 1.0  # Laplace: a feature seen in one class only is strong evidence, never proof

# Every pattern here runs in time linear in the comment's length, whatever
# the comment holds: links are matched one whitespace-separated token at a
# time and anchored at both ends, and the rest start only where a run of
# digits starts. (An unanchored search for bare domains took seconds on a
# 5,000-character "a.a.a.a…".)
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*"
    r"\.(?:com|net|org|biz|info|io|co|us|shop|store|site|online|click|bet|xyz|top|gov|edu)"
    r"(?:[/:?#]\S*)?",
    re.IGNORECASE,
)
_LINK_HOST = re.compile(r"^(?:https?://)?(?:www\.)?([^/:?#]*)", re.IGNORECASE)
_TRIM = "()[]<>{}\"'.,;:!?"
_MONEY = re.compile(
    r"[$€£]\s?\d[\d,]*+(?:\.\d+)?|(?<![\d,.])\d[\d,]*+(?:\.\d+)?\s?(?:dollars|usd)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")
_PERCENT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?%")
_SHOUT = re.compile(r"\b[A-Z]{4,}\b")
_WORD = re.compile(r"[a-z][a-z0-9']*|\d+")


def spam_features(text: str) -> set[str]:
    """The features the model weighs: lower-cased words and ``<marker>`` tokens."""
    features: set[str] = set()
    kept = []
    for token in text.split():
        if _LINK.fullmatch(token.strip(_TRIM)):
            host = _LINK_HOST.match(token.strip(_TRIM))
            features.add("<link>")
            if host:
                features.add("<tld:" + host.group(1).lower().rsplit(".", 1)[-1] + ">")
        else:
            kept.append(token)
    text = " ".join(kept)
    for pattern, marker in ((_MONEY, "<money>"), (_PHONE, "<phone>"), (_PERCENT, "<percent>")):
        if pattern.search(text):
            features.add(marker)
            text = pattern.sub(" ", text)
    if _SHOUT.search(text):
        features.add("<shouting>")
    if "!!" in text:
        features.add("<exclamations>")
    for word in _WORD.findall(text.lower()):
        features.add("<number>" if word.isdigit() else word)
    return features


def train_spam_model(
    examples: Iterable[tuple[str, bool]], *, min_documents: int = 2
) -> dict[str, Any]:
    """Count features in ``(text, is_spam)`` examples into a JSON-ready model.

    Features found in fewer than ``min_documents`` comments are dropped: they
    are mostly names and typos, and they would make the file grow with every
    comment it learns from.
    """
    documents = {"ham": 0, "spam": 0}
    counts: dict[str, list[int]] = {}
    for text, is_spam in examples:
        documents["spam" if is_spam else "ham"] += 1
        for feature in spam_features(text):
            counts.setdefault(feature, [0, 0])[int(is_spam)] += 1
    return {
        "format": FORMAT,
        "documents": documents,
        # [ham, spam]: in how many comments of each class the feature appears.
        "features": {f: c for f, c in sorted(counts.items()) if sum(c) >= min_documents},
    }


@dataclass(frozen=True)
class SpamModel:
    prior: float  # log odds of spam before reading the comment
    evidence: Mapping[str, float]  # each known feature's log-likelihood ratio, spam over ham
    digest: str  # short hash of the model, part of the scores' version

    @classmethod
    def from_dict(cls, model: Mapping[str, Any]) -> SpamModel:
        if model.get("format") != FORMAT:
            raise ValueError(f"spam model format {model.get('format')!r}; expected {FORMAT}")
        ham_docs, spam_docs = model["documents"]["ham"], model["documents"]["spam"]
        if not ham_docs or not spam_docs:
            raise ValueError("a spam model needs examples of both spam and not spam")
        features: Mapping[str, list[int]] = model["features"]
        ham_total = sum(c[0] for c in features.values()) + SMOOTHING * len(features)
        spam_total = sum(c[1] for c in features.values()) + SMOOTHING * len(features)
        evidence = {
            feature: math.log((spam + SMOOTHING) / spam_total)
            - math.log((ham + SMOOTHING) / ham_total)
            for feature, (ham, spam) in features.items()
        }
        canonical = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
        return cls(
            prior=math.log(spam_docs / ham_docs),
            evidence=evidence,
            digest=hashlib.sha256(canonical).hexdigest()[:12],
        )

    def probability(self, text: str) -> float:
        log_odds = self.prior + sum(self.evidence.get(f, 0.0) for f in spam_features(text))
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
