"""Who is calling: a bearer token (the embed) or the session (same origin).

Session calls that write are CSRF-checked; token calls need no CSRF check,
since a token is never sent by the browser on its own.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from soundoff.accounts.models import User

from .tokens import reader_for_token


class ReaderToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return reader_for_token(token)


class ReaderSession(SessionAuth):
    """A reader signed in on Soundoff's own pages; their writes are CSRF-checked.

    Without a signed-in session a forged request has nothing to ride on, so
    the CSRF check is skipped and the caller gets 401: the widget, whose
    expired token falls through to here, must be told to sign in again, not
    that a CSRF check failed.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        user = request.user
        if not (isinstance(user, User) and user.is_active):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if isinstance(user, User) and user.is_active:
            return user
        return None


READER = [ReaderToken(), ReaderSession(csrf=True)]


def optional_reader(request: HttpRequest) -> User | None:
    """The reader on a read, if any; reads never require signing in."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return reader_for_token(header[7:].strip())
    user = request.user
    return user if isinstance(user, User) and user.is_active else None


def reader_of(request: HttpRequest) -> User:
    """The authenticated reader of a write (set by one of READER)."""
    auth = getattr(request, "auth", None)
    assert isinstance(auth, User)
    return auth
