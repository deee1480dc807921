"""Responses every anonymous reader shares, answered from one cache entry.

A shared response is named by its parts: the release (templates, code),
what it shows and the version of each, the language, the parameters of the
request. Their digest is both the ETag and the key of the stored body, so
a read costs what it takes to learn the parts (the caller's one indexed
query for the versions) and then either a 304, when the client's ETag
names them, or the stored bytes. Only a miss renders, once, and stores.

Nothing is ever invalidated: a change moves a version, the next read asks
for a new digest, and entries nobody asks for any more expire.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

# Entries of a version nobody asks for any more go after this long.
ENTRY_SECONDS = 600


@once
def release() -> str:
    """The installed version: a deploy changes templates and code, and so
    every shared response."""
    return importlib.metadata.version("soundoff")


def shared_response(
    request: HttpRequest,
    *,
    name: str,
    parts: Sequence[object],
    changed_at: datetime,
    render: Callable[[], bytes],
    content_type: str,
    store: bool = True,
) -> HttpResponse:
    """The public response named by ``name`` and ``parts``: 304, the stored
    body, or ``render()``'s, kept for the next reader when ``store`` (the
    caller says no for requests whose parts a stranger could vary without
    end, so that nobody can fill the cache with pages never read again)."""
    named = [release(), get_language(), name, *parts]
    digest = hashlib.sha256(repr(named).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    last_modified = int(changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = f"soundoff:shared:{name}:{digest}"
        body = cache.get(key)
        if body is None:
            body = render()
            if store:
                cache.set(key, body, ENTRY_SECONDS)
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.SOUNDOFF_SHARED_CACHE_SECONDS
    )
    return response
