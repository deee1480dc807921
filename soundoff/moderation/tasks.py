"""Background moderation work, run by the task worker (manage.py db_worker)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import task

from soundoff.accounts.queries import current_rules
from soundoff.discussion.models import Comment

from .scoring import Score, score_comment_text
from .services import withhold_comment

logger = logging.getLogger(__name__)

# Which score withholds a comment, above which setting, citing which rule.
THRESHOLDS = {
    "toxicity": ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_RULE"),
    "offensive": ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_RULE"),
    "spam": ("SOUNDOFF_SPAM_THRESHOLD", "SOUNDOFF_SPAM_RULE"),
    "threat": ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_THREAT_RULE"),
    "doxxing": ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_DOXXING_RULE"),
    "identity_hate": ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_HATE_RULE"),
}


@task
def score_comment(*, comment_id: int) -> dict[str, float]:
    """Score a new or edited comment on this server and store the scores
    (value, model, version) on it; a score above its threshold withholds
    the comment for review, as a system decision citing the rule.

    Scorers that fail are skipped (fail open): the comment stays as it is.
    """
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return {}
    scores = score_comment_text(comment.body)
    Comment.objects.filter(pk=comment_id).update(
        scores={
            s.kind: {"value": round(s.value, 4), "model": s.model, "version": s.version}
            for s in scores
        }
    )
    over = _over_threshold(scores)
    if over is not None:
        threshold_setting, rule_setting = THRESHOLDS[over.kind]
        number = getattr(settings, rule_setting)
        rule = next((r for r in current_rules() if r.number == number), None)
        withhold_comment(
            comment,
            reason_code=f"score_{over.kind}",
            rule=rule,
            note=f"{over.model} {over.version}: {over.value:.2f} > "
            f"{getattr(settings, threshold_setting)}",
        )
    return {score.kind: score.value for score in scores}


def _over_threshold(scores: list[Score]) -> Score | None:
    for score in sorted(scores, key=lambda s: s.value, reverse=True):
        if score.kind in THRESHOLDS and score.value > getattr(settings, THRESHOLDS[score.kind][0]):
            return score
    return None
