"""The widget's two scripts, and the first-party sign-in popup.

The scripts are served from the site root (/embed.js, /counts.js) because
that is the address newsrooms paste into their templates once and never
change; see ``script`` for how that squares with caching. embed.js is
written in parts (see ``EMBED``) and served as one script, which begins
with the strings of the reader's language (soundoff.embed.catalog).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_safe

from soundoff.accounts.models import User
from soundoff.api.tokens import issue_token

from .catalog import catalogues_modified, script_catalogue
from .origins import canonical_origin, is_allowed


@dataclass(frozen=True)
class Source:
    """The static files a script is made of, joined in order between an
    opening and a closing; a ``translated`` one has the catalogue of the
    reader's language between the opening and the parts."""

    parts: tuple[str, ...]
    opening: bytes = b""
    closing: bytes = b""
    translated: bool = False


# The widget is one closure written in parts, one concern each (01-core.js
# says how they fit): served as the parts, in this order, inside the one
# function they share.
EMBED = Source(
    parts=(
        "soundoff/embed/00-i18n.js",
        "soundoff/embed/01-core.js",
        "soundoff/embed/02-frame.js",
        "soundoff/embed/03-account.js",
        "soundoff/embed/04-thread.js",
        "soundoff/embed/05-writing.js",
        "soundoff/embed/06-start.js",
    ),
    opening=(
        b"/* Soundoff's discussion widget, built from soundoff/static/soundoff/embed/. */\n"
        b'(function () {\n  "use strict";\n\n'
    ),
    closing=b"})();\n",
    translated=True,
)
SCRIPTS = {"embed.js": EMBED, "counts.js": Source(parts=("soundoff/counts.js",))}

# An unversioned address is revalidated hourly (a 304 thanks to the ETag),
# so a fix to the widget reaches every embedding site within the hour; an
# address carrying the current version (?v=…) never changes and is cached
# for a year.
FRESH_SECONDS = 3600
STALE_SECONDS = 86_400
IMMUTABLE_SECONDS = 31_536_000
# The instance namespace of the account pages that the popup goes through.
POPUP_ACCOUNTS = "embed-accounts"


@dataclass(frozen=True)
class Script:
    """A script as served in one language."""

    body: bytes
    gzipped: bytes
    version: str
    language: str

    @property
    def etag(self) -> str:
        # Weak: the same script is sent plain or gzipped. The language is in
        # it so that a reader whose language changed never revalidates the
        # copy of another language to a 304.
        return f'W/"{self.version}-{self.language}"'


@lru_cache(maxsize=8)
def _read(
    source: Source, paths: tuple[str, ...], modified_ns: tuple[int, ...], language: str
) -> Script:
    parts = b"".join(Path(path).read_bytes() for path in paths)
    languages = [code for code, _name in settings.LANGUAGES] if source.translated else [""]

    def body(code: str) -> bytes:
        catalogue = script_catalogue(code) if code else b""
        return source.opening + catalogue + parts + source.closing

    # One version for every language, so that the ?v= address a newsroom
    # pastes is the current one for all its readers.
    version = hashlib.sha256(b"".join(body(code) for code in languages)).hexdigest()[:16]
    served = body(language if source.translated else "")
    return Script(
        body=served,
        gzipped=gzip.compress(served, compresslevel=9, mtime=0),
        version=version,
        language=language if source.translated else "",
    )


def load_script(name: str, language: str | None = None) -> Script:
    """The script as its parts are on disk now, in ``language`` (the
    active one by default), read once per change to any, then from memory."""
    source = SCRIPTS.get(name)
    if source is None:
        raise Http404
    paths = tuple(found for part in source.parts if isinstance(found := finders.find(part), str))
    if len(paths) != len(source.parts):
        raise Http404
    modified = tuple(Path(path).stat().st_mtime_ns for path in paths)
    if source.translated:
        modified += catalogues_modified()
    return _read(source, paths, modified, language or get_language())


@require_safe
@condition(etag_func=lambda request, name: load_script(name).etag)
def script(request: HttpRequest, name: str) -> HttpResponse:
    """embed.js or counts.js, for a <script> tag on any site (no CORS needed).

    Both vary on Accept-Language (LocaleMiddleware says so on every
    response): embed.js carries the reader's catalogue, and counts.js is
    the same in every language, its counts' words coming from the API."""
    loaded = load_script(name)
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(
        loaded.gzipped if accepts_gzip else loaded.body,
        content_type="application/javascript; charset=utf-8",
    )
    if accepts_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    if request.GET.get("v") == loaded.version:
        patch_cache_control(response, public=True, max_age=IMMUTABLE_SECONDS, immutable=True)
    else:
        patch_cache_control(
            response, public=True, max_age=FRESH_SECONDS, stale_while_revalidate=STALE_SECONDS
        )
    # Lets sites that isolate themselves (Cross-Origin-Embedder-Policy) load it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def keeps_opener[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Serve a page of the sign-in popup without Cross-Origin-Opener-Policy.

    The site sends ``same-origin`` everywhere else; a popup that loads such a
    page loses ``window.opener`` for good when its opener is another site,
    and the token could not be handed back. Every page the popup may pass
    through (sign in, register, the hand-off) therefore answers ``unsafe-none``;
    frame-ancestors and X-Frame-Options still keep them out of frames.
    """

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(*args, **kwargs)
        response["Cross-Origin-Opener-Policy"] = "unsafe-none"
        return response

    return wrapper


@never_cache
@keeps_opener
def signin(request: HttpRequest) -> HttpResponse:
    """The popup the widget opens: a token for the reader, for one allowed origin.

    A signed-out reader is sent through the site's own login (or
    registration) pages and comes back here. A signed-in reader gets a page
    whose script posts the token to ``window.opener`` with the embedding
    site's origin as the target, so a page of any other origin that opened
    this popup receives nothing.
    """
    origin = canonical_origin(request.GET.get("origin", ""))
    if origin is None or not is_allowed(origin):
        return render(
            request,
            "embed/refused.html",
            {"origin": request.GET.get("origin", "")},
            status=403,
        )
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        page = "accounts:register" if request.GET.get("action") == "register" else "accounts:login"
        target = reverse(page, current_app=POPUP_ACCOUNTS)
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
    return render(request, "embed/signin.html", {"origin": origin, "token": issue_token(user)})
