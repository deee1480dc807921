"""Refuse readers (and addresses) posting faster than the site allows.

Four counters: a burst and a sustained rate, per reader and per IP address
(many accounts from one address count together). Counted in the cache, so
with REDIS_URL set the limits hold across every app instance. Edits are
not counted here: fixing a typo is not a new comment, so edits have their
own counters in discussion.services.edit_comment.
"""

from django.utils.translation import gettext as _

from soundoff.lib.ratelimit import hit_each

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if submission.editing is not None:
        return None
    counters = [
        (f"comment:reader:{submission.author.pk}", "SOUNDOFF_COMMENT_RATE"),
        (f"comment:reader-long:{submission.author.pk}", "SOUNDOFF_COMMENT_RATE_SUSTAINED"),
    ]
    if submission.client.ip:
        counters += [
            (f"comment:ip:{submission.client.ip}", "SOUNDOFF_IP_COMMENT_RATE"),
            (f"comment:ip-long:{submission.client.ip}", "SOUNDOFF_IP_COMMENT_RATE_SUSTAINED"),
        ]
    decision = hit_each(counters)
    if decision.allowed:
        return None
    return Verdict(
        outcome=Outcome.REFUSED,
        reason="rate_limited",
        detail=_("You are commenting faster than this site allows. Try again in %(s)d seconds.")
        % {"s": decision.retry_after},
        retry_after=decision.retry_after,
    )
