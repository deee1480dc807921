"""Where and when each on-device scorer runs, and which score withholds.

A comment a score would withhold should never be public, so a scorer runs
before the comment is written (the pipeline's ``scores`` phase, outside
the write transaction) when that is cheap for every web worker, in CPU and
in memory; the others run after the commit, in the task worker, from a
task enqueued in the comment's own transaction.

Measured per comment (time.process_time over 1,800 calls of
bench/scoring's comments in one process; resident memory the model adds
to a fresh process after Django is set up), on the shared 2-core machine,
loaded (load average 13-17), so the times are high by perhaps 2x:

| scorer                      | CPU per comment | memory per process |
|-----------------------------|-----------------|--------------------|
| soundoff-spam-naive-bayes   | 0.02 ms         | +0.1 MiB           |
| toxic-comment-classifier    | 0.8 ms          | +40 MiB            |
| alt-profanity-check         | 2.7 ms          | +65 MiB (scikit-learn) |

Decision: the spam model runs inline. The two others stay in the
background: their CPU would be affordable, but each web worker would carry
another 105 MiB, and `bin/run` starts one worker per core with the live
streams' memory budget (5,000 streams in 150 MB) to meet. Their scores,
as before, may withhold a comment a few seconds after it appeared.

Scorers are named by model, not by kind: a replaced model runs in the
background until it has been measured and listed here.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings

from . import scoring
from .scoring import Score, Scorer

logger = logging.getLogger(__name__)

INLINE_MODELS = frozenset({"soundoff-spam-naive-bayes"})

# Which score withholds a comment, above which setting, citing which rule.
THRESHOLDS = {
    "toxicity": ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_RULE"),
    "offensive": ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_RULE"),
    "spam": ("SOUNDOFF_SPAM_THRESHOLD", "SOUNDOFF_SPAM_RULE"),
}


@functools.cache
def inline_scorers() -> tuple[Scorer, ...]:
    """The scorers every new or edited comment passes before it is written.

    Built from the spam module alone: ``available_scorers`` would import
    every model's module, and numpy with the toxicity network's (+11 MiB
    in each web worker, measured).
    """
    from .scoring.spam import SpamScorer

    scorer = SpamScorer()
    try:
        usable = scorer.name in INLINE_MODELS and bool(scorer.version)
    except Exception as exc:
        logger.warning("scorer %s unavailable (%s)", scorer.name, type(exc).__name__)
        usable = False
    return (scorer,) if usable else ()


def background_scorers() -> tuple[Scorer, ...]:
    """The scorers the task worker runs after the commit."""
    return tuple(s for s in scoring.available_scorers() if s.name not in INLINE_MODELS)


def over_threshold(scores: Iterable[Score]) -> Score | None:
    """The highest score above its threshold, or None."""
    for score in sorted(scores, key=lambda s: s.value, reverse=True):
        if score.kind in THRESHOLDS and score.value > getattr(settings, THRESHOLDS[score.kind][0]):
            return score
    return None


def stored(scores: Iterable[Score]) -> Mapping[str, Any]:
    """Scores as a comment keeps them: value, model and version by kind."""
    return {
        s.kind: {"value": round(s.value, 4), "model": s.model, "version": s.version}
        for s in scores
    }
