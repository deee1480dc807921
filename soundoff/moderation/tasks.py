"""Background moderation work, run by the task worker (manage.py db_worker)."""

from __future__ import annotations

import logging

from django.tasks import task

from soundoff.discussion.models import Comment

from .decisions import withhold_comment
from .scoring import score_comment_text
from .scoring_plan import background_scorers, cited_rule, over_threshold, stored, threshold_note

logger = logging.getLogger(__name__)


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
    # The cheap scorers ran before the comment was written and their
    # scores are stored already (scoring_plan); these are the others.
    scores = score_comment_text(comment.body, scorers=background_scorers())
    if scores:
        Comment.objects.filter(pk=comment_id).update(scores={**comment.scores, **stored(scores)})
    over = over_threshold(scores)
    if over is not None:
        withhold_comment(
            comment,
            reason_code=f"score_{over.kind}",
            rule=cited_rule(over.kind),
            note=threshold_note(over),
        )
    return {score.kind: score.value for score in scores}
