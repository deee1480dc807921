"""What can go wrong when an editor changes a published post."""

from __future__ import annotations

from soundoff.discussion.errors import DiscussionError


class UpdateRefused(DiscussionError):
    """An update or correction that can't be added; ``detail`` says why."""

    code = "update_refused"
    http_status = 422
