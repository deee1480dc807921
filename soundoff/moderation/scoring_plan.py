"""Where and when each on-device scorer runs, and which score withholds.

A comment a score would withhold should never be public, so a scorer runs
before the comment is written (the pipeline's ``scores`` phase, outside
the write transaction) when that is cheap for every web worker, in CPU and
in memory; the others run after the commit, in the task worker, from a
task enqueued in the comment's own transaction.

Measured per comment (time.process_time over about 2,000 calls of
bench/scoring's comments in one process; resident memory the model adds
to a fresh process after Django is set up), on the shared 2-core machine,
loaded (load average 13-30), so the times are high by perhaps 2x:

| scorer                      | CPU per comment | memory per process |
|-----------------------------|-----------------|--------------------|
| soundoff-spam-linear        | 0.014 ms        | +3 MiB             |
| soundoff-harm-patterns      | 0.08 ms         | ~0                 |
| toxic-comment-classifier    | 0.8-1 ms        | +40 MiB            |
| alt-profanity-check         | 2.7-4 ms        | +65 MiB (scikit-learn) |

Decision: the spam model and the harm patterns (threats, doxxing,
identity hate) run inline. The two others stay in the background: their
CPU would be affordable, but each web worker would carry another 105 MiB,
and `bin/run` starts one worker per core with the live streams' memory
budget (5,000 streams in 150 MB) to meet. Their scores, as before, may
withhold a comment a few seconds after it appeared.

Scorers are named by model, not by kind: a replaced model runs in the
background until it has been measured and listed here.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings

from soundoff.accounts.models import ConductRule
from soundoff.accounts.queries import current_rules

from . import scoring
from .scoring.base import Score, Scorer

logger = logging.getLogger(__name__)

INLINE_MODELS = frozenset({"soundoff-spam-linear", "soundoff-harm-patterns"})

# Which score withholds a comment, above which setting, citing which rule.
THRESHOLDS = {
    "toxicity": ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_RULE"),
    "offensive": ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_RULE"),
    "spam": ("SOUNDOFF_SPAM_THRESHOLD", "SOUNDOFF_SPAM_RULE"),
    "threat": ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_THREAT_RULE"),
    "doxxing": ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_DOXXING_RULE"),
    "identity_hate": ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_HATE_RULE"),
}


@functools.cache
def inline_scorers() -> tuple[Scorer, ...]:
    """The scorers every new or edited comment passes before it is written.

    Built from the spam and harm modules alone: ``available_scorers`` would
    import every model's module, and numpy with the toxicity network's
    (+11 MiB in each web worker, measured).
    """
    from .scoring.harm import harm_scorers
    from .scoring.spam import SpamScorer

    candidates: tuple[Scorer, ...] = (SpamScorer(), *harm_scorers())
    usable: list[Scorer] = []
    for scorer in candidates:
        try:
            if scorer.name in INLINE_MODELS and scorer.version:
                usable.append(scorer)
        except Exception as exc:
            logger.warning("scorer %s unavailable (%s)", scorer.name, type(exc).__name__)
    return tuple(usable)


def background_scorers() -> tuple[Scorer, ...]:
    """The scorers the task worker runs after the commit."""
    return tuple(s for s in scoring.available_scorers() if s.name not in INLINE_MODELS)


def over_threshold(scores: Iterable[Score]) -> Score | None:
    """The highest score above its threshold, or None."""
    for score in sorted(scores, key=lambda s: s.value, reverse=True):
        if score.kind in THRESHOLDS and score.value > getattr(settings, THRESHOLDS[score.kind][0]):
            return score
    return None


def cited_rule(kind: str) -> ConductRule | None:
    """The rule a hold by this kind of score cites (its setting names it)."""
    number = getattr(settings, THRESHOLDS[kind][1])
    return next((r for r in current_rules() if r.number == number), None)


def rule_of_hold(reason_code: str) -> ConductRule | None:
    """The rule a hold cites when a score made it (reason ``score_<kind>``)."""
    kind = reason_code.removeprefix("score_")
    return cited_rule(kind) if reason_code != kind and kind in THRESHOLDS else None


def threshold_note(score: Score) -> str:
    """What the audit row says of a score that withheld a comment."""
    threshold = getattr(settings, THRESHOLDS[score.kind][0])
    return f"{score.model} {score.version}: {score.value:.2f} > {threshold}"


def stored(scores: Iterable[Score]) -> Mapping[str, Any]:
    """Scores as a comment keeps them: value, model and version by kind."""
    return {
        s.kind: {"value": round(s.value, 4), "model": s.model, "version": s.version}
        for s in scores
    }
