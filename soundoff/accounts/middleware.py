"""Responses made for one reader are never kept by a shared cache."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` was made for the reader who asked: they are
    signed in and the view read who they are (their session), the request
    carries its own credentials (the widget's bearer token), or the
    response sets a cookie (a session, a CSRF token, a flash message).

    A view that never looked at the reader (a profile picture, the embed
    script) made the same answer for everyone and keeps its own policy.
    """
    if response.cookies or "Authorization" in request.headers:
        return True
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    return bool(session is not None and session.accessed and user and user.is_authenticated)


class PrivateResponsesMiddleware:
    """Mark personal responses ``Cache-Control: private`` (dropping any
    ``public``), so that a CDN or proxy never hands one reader's page, name
    or CSRF token to another. Views that ask for more (``no-store``) keep it.

    It sits outside the session and CSRF middleware so that it sees the
    cookies they set.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_personal(request, response):
            patch_cache_control(response, private=True)
        return response
