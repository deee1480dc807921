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
import logging
from collections.abc import Sequence

from .base import Score, Scorer

logger = logging.getLogger(__name__)


def all_scorers() -> tuple[Scorer, ...]:
    """Every scorer Soundoff knows, whether or not its package is installed."""
    # Imported here, not at module level: the models' libraries (numpy and
    # the rest) are the task worker's alone (tests/test_worker_imports.py).
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
