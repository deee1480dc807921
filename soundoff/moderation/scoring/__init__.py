"""Scores for a comment's text from models that ship inside installed packages.

After a comment is committed, a background task calls ``score_comment_text``;
a high score later withholds the comment for a moderator. Every model here is
read from files inside an installed Python package and runs in this process:
no comment text leaves the server, and nothing is downloaded at run time.

Each scorer is guarded on its own and fails open. A scorer that raises is
logged by name and skipped, so a broken model costs its score, never the
comment, the task or the other scores. Logs name the scorer and never carry
the comment's text (the Rules of Conduct promise readers that).

Models are large (tens of MB in memory, seconds to load), so each is loaded
at most once per process, on first use, behind a lock: two worker threads
that score at once share one load instead of doing it twice.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

logger = logging.getLogger(__name__)

ScoreKind = Literal["toxicity", "spam", "offensive", "threat", "doxxing", "identity_hate"]


@dataclass(frozen=True)
class Score:
    """One model's opinion of one text: ``value`` is a probability in [0, 1].

    ``model`` and ``version`` say which model produced it, so that a stored
    score can be traced: for a packaged model, its PyPI distribution and
    installed version; for Soundoff's own, its name and Soundoff's version
    with the model file's hash.
    """

    kind: ScoreKind
    value: float
    model: str
    version: str


class Scorer(Protocol):
    @property
    def name(self) -> str:
        """The model: the PyPI distribution that ships it, or one of Soundoff's own."""
        ...

    @property
    def version(self) -> str:
        """The model's version; reading it raises if the model cannot be used here."""
        ...

    def score(self, text: str) -> Score: ...


def load_once[T](loader: Callable[[], T]) -> Callable[[], T]:
    """Wrap ``loader`` so that it runs once per process, however many threads ask.

    ``functools.cache`` alone lets two threads that miss at the same moment
    both run the loader; the lock makes the second one wait for the first.
    A loader that raises is not cached, so the next call tries again.
    """
    cached = functools.cache(loader)
    lock = threading.Lock()

    @functools.wraps(loader)
    def get() -> T:
        with lock:
            return cached()

    return get


@functools.cache
def distribution_version(distribution: str) -> str:
    """The installed version of ``distribution``; raises if it is not installed.

    Cached: importlib.metadata walks sys.path on every call.
    """
    return importlib.metadata.version(distribution)


def all_scorers() -> tuple[Scorer, ...]:
    """Every scorer Soundoff knows, whether or not its package is installed."""
    # Imported here, not at module level: the scorer modules import Score and
    # load_once from this one.
    from .harm import harm_scorers
    from .offensive import OffensiveScorer
    from .spam import SpamScorer
    from .toxicity import ToxicityScorer

    return (ToxicityScorer(), OffensiveScorer(), SpamScorer(), *harm_scorers())


@functools.cache
def available_scorers() -> tuple[Scorer, ...]:
    """The scorers that can run here, checked once per process.

    A scorer is available when its version can be read, which needs its
    package installed (and, for our own spam model, its model file).
    """
    available = []
    for scorer in all_scorers():
        try:
            scorer.version  # noqa: B018 - read for its check, not its value
        except Exception as exc:
            logger.warning("scorer %s unavailable (%s)", scorer.name, type(exc).__name__)
            continue
        available.append(scorer)
    return tuple(available)


def score_comment_text(text: str, *, scorers: Sequence[Scorer] | None = None) -> list[Score]:
    """Run every available scorer on ``text``; a scorer that fails is skipped.

    ``scorers`` replaces the installed set (tests pass their own).
    """
    scores = []
    for scorer in available_scorers() if scorers is None else scorers:
        try:
            scores.append(scorer.score(text))
        except Exception as exc:
            # Fail open. Only the exception's class is logged: its message or
            # traceback could quote the comment.
            logger.warning("scorer %s failed (%s)", scorer.name, type(exc).__name__)
    return scores


__all__ = [
    "Score",
    "ScoreKind",
    "Scorer",
    "all_scorers",
    "available_scorers",
    "load_once",
    "score_comment_text",
]
