"""Guards in front of the JSON API: body size, and CORS for embedding sites.

Only origins allowed to embed (soundoff.embed.origins) get CORS headers, and
never with credentials: the widget authenticates with a bearer token, so a
page of another site can't ride on the reader's Soundoff cookies.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from soundoff.embed.origins import is_allowed

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        cross_origin = bool(origin) and origin != f"{request.scheme}://{request.get_host()}"
        allowed = cross_origin and is_allowed(origin)
        if request.method == "OPTIONS" and cross_origin:
            response: HttpResponse = (
                HttpResponse(status=204)
                if allowed
                else JsonResponse(
                    {
                        "error": "origin_not_allowed",
                        "detail": _("This site is not allowed to use the discussion."),
                    },
                    status=403,
                )
            )
        elif self._too_large(request):
            response = JsonResponse(
                {
                    "error": "too_large",
                    "detail": _("The request body is larger than %(n)d bytes.")
                    % {"n": settings.SOUNDOFF_API_MAX_BODY},
                },
                status=413,
            )
        else:
            response = self.get_response(request)
        if allowed and origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Max-Age"] = "600"
            response["Access-Control-Expose-Headers"] = "Retry-After"
        if cross_origin:
            response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
        return response

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            return True
        return length > settings.SOUNDOFF_API_MAX_BODY
