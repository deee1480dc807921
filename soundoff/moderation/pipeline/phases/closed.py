"""Refuse comments on a closed discussion or an unpublished post."""

from django.utils.translation import gettext as _

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if submission.thread.is_open:
        return None
    return Verdict(
        outcome=Outcome.REFUSED,
        reason="closed",
        detail=_("This discussion is closed to new comments and edits."),
    )
