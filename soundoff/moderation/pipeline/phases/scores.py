"""Hold a comment that a cheap on-device model scores over its threshold.

Only the scorers ``moderation.scoring_plan`` runs inline are consulted
here, so a comment they would withhold is never public; the expensive
ones run after the commit, in the task worker. A failing scorer is
skipped (fail open), as in the background.
"""

from ...scoring_plan import over_threshold, threshold_note
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    over = over_threshold(submission.inline_scores)
    if over is None:
        return None
    reason = f"score_{over.kind}"
    return Verdict(
        outcome=Outcome.HELD, reason=reason, detail=threshold_note(over), flags=(reason,)
    )
