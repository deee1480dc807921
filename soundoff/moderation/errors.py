"""What can go wrong when someone moderates, or when a reader flags."""

from __future__ import annotations

from soundoff.discussion.errors import DiscussionError, Unprocessable


class AlreadyDecided(DiscussionError):
    """Another moderator decided on this comment after the page was loaded."""

    code = "already_decided"
    http_status = 409


class FlagRefused(Unprocessable):
    code = "flag_refused"


class InvalidDecision(Unprocessable):
    code = "invalid_decision"


class AppealRefused(Unprocessable):
    """The decision can't be appealed (any more), or the appeal is unreadable."""

    code = "appeal_refused"
