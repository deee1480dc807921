"""What the API itself refuses, before any service is called."""

from __future__ import annotations

from soundoff.discussion.errors import DiscussionError


class BadInput(DiscussionError):
    """A request that breaks a rule the schema can't state: one of two fields,
    a header's format, too many keys. 422 like every other bad input."""

    code = "invalid"
    http_status = 422
