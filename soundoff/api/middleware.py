"""Guards in front of the JSON API: body size, NUL in the address, one error
shape for everything under /api/, and CORS for embedding sites.

Only origins allowed to embed (soundoff.embed.origins) get CORS headers, and
never with credentials: the widget authenticates with a bearer token, so a
page of another site can't ride on the reader's Soundoff cookies.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from soundoff.embed.origins import is_allowed

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"


def _error(status: int, code: str, detail: str) -> HttpResponse:
    return JsonResponse({"error": code, "detail": detail}, status=status)


def too_large() -> HttpResponse:
    """The answer to a body over SOUNDOFF_API_MAX_BODY, here and from the
    gateway (soundoff.live.gateway), which stops reading one at the cap."""
    return _error(
        413,
        "too_large",
        _("The request body is larger than %(n)d bytes.") % {"n": settings.SOUNDOFF_API_MAX_BODY},
    )


# Errors answered by Django rather than by the API (an unknown address, a
# method the address doesn't take, an unhandled exception) come as HTML.
_DJANGO_ERRORS = {
    404: ("not_found", _lazy("There is nothing here.")),
    405: ("method_not_allowed", _lazy("This address doesn't take that method.")),
    500: ("server_error", _lazy("Something went wrong on our side. Please try again later.")),
}


def _in_shape(response: HttpResponse) -> HttpResponse:
    """Every error under /api/ in the one shape, whoever answered it."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    if response.status_code == 500 and settings.DEBUG:
        return response  # the developer's traceback page
    code, detail = _DJANGO_ERRORS.get(response.status_code, ("error", response.reason_phrase))
    shaped = _error(response.status_code, code, str(detail))
    if "Allow" in response:
        shaped["Allow"] = response["Allow"]
    return shaped


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
                else _error(
                    403,
                    "origin_not_allowed",
                    _("This site is not allowed to use the discussion."),
                )
            )
        else:
            response = self._refusal(request) or _in_shape(self.get_response(request))
        if allowed and origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Max-Age"] = "600"
            response["Access-Control-Expose-Headers"] = "Retry-After"
        # Always: a shared cache must not hand a same-origin answer (without
        # CORS headers) to an embedding site, nor one site's answer to another.
        response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
        return response

    @classmethod
    def _refusal(cls, request: HttpRequest) -> HttpResponse | None:
        """Requests refused before any view runs, in the API's error shape
        (Django would answer some of them with an HTML page)."""
        if cls._length_unknown(request):
            return _error(
                411,
                "length_required",
                _("Send the request body with a Content-Length header."),
            )
        if cls._too_large(request):
            return too_large()
        try:
            nul = cls._nul_in_address(request)
        except TooManyFieldsSent:
            return _error(
                422,
                "too_many",
                _("The address carries more than %(n)d parameters.")
                % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
            )
        if nul:
            # "%00" decodes to a NUL that PostgreSQL refuses in any text
            # parameter: answer here rather than with a server error later.
            return _error(422, "invalid", _("The address contains a NUL character; remove it."))
        return None

    @staticmethod
    def _nul_in_address(request: HttpRequest) -> bool:
        return "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        )

    @staticmethod
    def _length_unknown(request: HttpRequest) -> bool:
        """A body in chunks, without Content-Length, from a server other than
        the gateway (which counts the chunks and sets the length). Django
        would read it as empty: the cap could not be checked, nor the body
        used, so it is refused unread."""
        return "Transfer-Encoding" in request.headers and not request.META.get("CONTENT_LENGTH")

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            return True
        return length > settings.SOUNDOFF_API_MAX_BODY
