"""Refuse a reader who posts faster than SOUNDOFF_COMMENT_RATE allows.

Counted in the cache, so with REDIS_URL set the limit holds across every
app instance. Edits are not counted: fixing a typo is not flooding.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from soundoff.lib.ratelimit import hit, parse_rate

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if submission.editing is not None:
        return None
    rate = parse_rate(settings.SOUNDOFF_COMMENT_RATE)
    decision = hit(f"comment:reader:{submission.author.pk}", rate)
    if decision.allowed:
        return None
    return Verdict(
        outcome=Outcome.REFUSED,
        reason="rate_limited",
        detail=_("You are commenting faster than this site allows. Try again in %(s)d seconds.")
        % {"s": decision.retry_after},
        retry_after=decision.retry_after,
    )
