"""Hold every comment of a pre-moderated discussion."""

from soundoff.discussion.models import DiscussionMode

from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if submission.thread.mode == DiscussionMode.PREMODERATED:
        return Verdict(outcome=Outcome.HELD, reason="premoderated")
    return None
