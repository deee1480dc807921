"""What can go wrong when a reader writes to a discussion.

Every interface maps these to an HTTP status and to one error shape,
``{"error": code, "detail": text}``; the page shows ``detail`` beside the
form and keeps what the reader typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from soundoff.accounts.models import PolicyVersion


class DiscussionError(Exception):
    code = "refused"
    http_status = 400

    def __init__(self, detail: str | _StrPromise, *, code: str | None = None) -> None:
        super().__init__(str(detail))
        self.detail = str(detail)
        if code:
            self.code = code


class NotSignedIn(DiscussionError):
    code = "not_signed_in"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(_("Log in or register to take part in the discussion."))


class PoliciesNotAccepted(DiscussionError):
    code = "policies_not_accepted"
    http_status = 403

    def __init__(self, documents: Sequence[PolicyVersion]) -> None:
        super().__init__(
            _(
                "Before you comment, please read and accept the current Terms of Service "
                "(with the Rules of Conduct) and Privacy Policy."
            )
        )
        self.documents = list(documents)


class EmailNotConfirmed(DiscussionError):
    """The reader has not opened the link that confirms their address yet."""

    code = "email_not_confirmed"
    http_status = 403

    def __init__(self) -> None:
        super().__init__(
            _(
                "Before your first comment, please confirm your e-mail address: open the link "
                "we sent you. No link? Send it again."
            )
        )


class Unprocessable(DiscussionError):
    """Understood, but refused as it stands (422): ``detail`` says what to
    change, and the subclass (or ``code``) which rule refused it."""

    http_status = 422


class CommentRefused(Unprocessable):
    """The moderation pipeline refused the text; ``code`` names the check."""


class RateLimited(DiscussionError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class InvalidReply(Unprocessable):
    code = "invalid_reply"


class NotAllowed(DiscussionError):
    """The one refusal for "you may not do this" (403), in every app: not the
    reader's own comment, not a moderator or an editor, a sanctioned reader,
    a closed discussion; ``code`` names the case where a client needs it."""

    code = "forbidden"
    http_status = 403
