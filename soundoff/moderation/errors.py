"""What can go wrong when someone moderates, or when a reader flags."""

from __future__ import annotations

from soundoff.discussion.errors import DiscussionError


class AlreadyDecided(DiscussionError):
    """Another moderator decided on this comment after the page was loaded."""

    code = "already_decided"
    http_status = 409


class FlagRefused(DiscussionError):
    code = "flag_refused"
    http_status = 422


class InvalidDecision(DiscussionError):
    code = "invalid_decision"
    http_status = 422


class AppealRefused(DiscussionError):
    """The decision can't be appealed (any more), or the appeal is unreadable."""

    code = "appeal_refused"
    http_status = 422
