"""Flag comments with a suspect word; hold them where the post asks for it."""

from soundoff.discussion.models import DiscussionMode

from ...wordlists import first_listed
from ..verdicts import Outcome, Submission, Verdict


def check(submission: Submission) -> Verdict | None:
    if first_listed(submission.word_lists, "suspect", submission.readings) is None:
        return None
    if submission.thread.mode == DiscussionMode.PREMODERATE_SUSPECT:
        return Verdict(outcome=Outcome.HELD, reason="suspect_word", flags=("suspect_word",))
    return Verdict(flags=("suspect_word",))
