"""The NinjaAPI instance: routers, and one error shape for every failure.

Every error answers ``{"error": code, "detail": text}``: the services'
DiscussionErrors with their own status, bad input with 422, malformed JSON
with 400, missing sign-in with 401, a failed CSRF check with 403.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from soundoff.accounts.errors import AccountError
from soundoff.discussion.errors import DiscussionError
from soundoff.discussion.queries import InvalidCursor
from soundoff.lib.urls import InvalidPageURL

from . import comments, counts, me, posts, rules, threads

# Swagger UI sets inline styles; its page (only) may use them. Scripts stay
# 'self'-only and everything is served from here, no CDN.
docs_csp = csp_override(
    {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
    }
)

api = NinjaAPI(
    title="Soundoff API",
    version="1",
    description="Posts, discussions and comments of this Soundoff site.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=docs_csp,
)
api.add_router("/v1/posts", posts.router)
api.add_router("/v1/threads", threads.router)
api.add_router("/v1/comments", comments.router)
api.add_router("/v1/counts", counts.router)
api.add_router("/v1/me", me.router)
api.add_router("/v1/rules", rules.router)


def error(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
    return api.create_response(request, {"error": code, "detail": detail}, status=status)


@api.exception_handler(DiscussionError)
def discussion_error(request: HttpRequest, exc: DiscussionError) -> HttpResponse:
    response = error(request, exc.http_status, exc.code, exc.detail)
    if exc.code == "origin_not_allowed":
        # The widget on a site that may not embed must be able to say why
        # nothing shows. The refusal carries no data, so any page may read
        # it (without credentials); allowed origins get their own CORS
        # headers from ApiGuardMiddleware.
        response["Access-Control-Allow-Origin"] = "*"
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("There is nothing here."))


@api.exception_handler(AccountError)
def account_error(request: HttpRequest, exc: AccountError) -> HttpResponse:
    return error(request, 422, "invalid", exc.detail)


@api.exception_handler(InvalidCursor)
def invalid_cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
    return error(request, 400, "invalid_cursor", str(exc))


@api.exception_handler(InvalidPageURL)
def invalid_page_url(request: HttpRequest, exc: InvalidPageURL) -> HttpResponse:
    return error(request, 422, "invalid_page_url", str(exc))


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for item in exc.errors:
        loc = list(item.get("loc", ()))
        # ("body", "payload", "body") is the field "body" of the request body.
        if loc[:1] == ["body"]:
            loc = loc[2:] if loc[1:2] == ["payload"] else loc[1:]
        where = ".".join(str(part) for part in loc)
        problems.append(f"{where}: {item.get('msg', '')}" if where else str(item.get("msg", "")))
    return error(request, 422, "invalid", "; ".join(problems) or _("The request is invalid."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "not_signed_in", _("Sign in to do that."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return error(request, 400, "malformed", _("The request body is not valid JSON."))
    if exc.status_code == 403:
        return error(
            request, 403, "csrf_failed", _("The CSRF check failed. Reload the page and try again.")
        )
    return error(request, exc.status_code, "error", str(exc))
