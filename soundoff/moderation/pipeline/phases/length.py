"""Refuse text that is empty, too long, or that the database cannot store."""

from django.conf import settings
from django.utils.translation import gettext as _

from soundoff.lib.text import unstorable_reason

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    text = submission.body
    if not text.strip():
        return Verdict(
            outcome=Outcome.REFUSED,
            reason="empty",
            detail=_("Your comment is empty. Write something before posting."),
        )
    limit = settings.SOUNDOFF_MAX_COMMENT_LENGTH
    if len(text) > limit:
        return Verdict(
            outcome=Outcome.REFUSED,
            reason="too_long",
            detail=_(
                "Your comment is %(length)s characters long; the limit is %(limit)s. "
                "Shorten it and post again."
            )
            % {"length": f"{len(text):,}", "limit": f"{limit:,}"},
        )
    problem = unstorable_reason(text)
    if problem:
        return Verdict(outcome=Outcome.REFUSED, reason="unstorable", detail=problem)
    return None
