"""Hold comments with many links, or any link where the post asks for it."""

import re

from django.conf import settings

from soundoff.discussion.models import DiscussionMode

from ..verdicts import Outcome, Submission, Verdict

# Linear: no nested quantifiers. Counts scheme URLs and bare www. hosts.
LINK = re.compile(r"(?:https?://|\bwww\.)[^\s<>()]+", re.IGNORECASE)


def count_links(text: str) -> int:
    return len(LINK.findall(text))


def check(submission: Submission) -> Verdict | None:
    links = count_links(submission.body)
    if not links:
        return None
    if links > settings.SOUNDOFF_MAX_LINKS:
        return Verdict(outcome=Outcome.HELD, reason="links", flags=("links",))
    if submission.thread.mode == DiscussionMode.PREMODERATE_SUSPECT:
        return Verdict(outcome=Outcome.HELD, reason="links", flags=("links",))
    return None
