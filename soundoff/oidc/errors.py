"""Why a sign-in through the provider did not end with a signed-in reader.

Each carries the sentence the reader sees and the HTTP status of the page
that says it; ``code`` names the case for the log (never personal data).
"""

from __future__ import annotations


class SignInFailed(Exception):
    status = 400

    def __init__(self, detail: str, *, code: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


class SignInRefused(SignInFailed):
    """The provider's answer was valid, but it doesn't give a reader we may sign in."""

    status = 403


class ProviderUnavailable(SignInFailed):
    """The provider could not be reached, or answered with something unusable."""

    status = 502
