"""Anonymous-grade reads of a thread's comments, from one cache entry.

A page of a thread's comments is the same for every reader (what is theirs
comes from /mine), so it is kept whole: the JSON body, in the cache, under
a key made of the thread's version, the page's parameters and the reader's
language (dates and counts are written in it). A read looks
up the thread's version (one indexed row, no model built) and answers with
the stored bytes, or 304 when the client's ETag names that version. Only a
miss reads comments, builds the schema and renders JSON. Every change a
page shows (a comment posted, edited, removed or restored, a reaction, an
author's new name or picture) bumps the version in the writer's
transaction, so the next read misses; entries of older versions are never
read again and expire.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from ninja.renderers import JSONRenderer

from soundoff.discussion.models import Thread
from soundoff.discussion.queries import Sort, thread_page
from soundoff.newsroom.models import published_filter
from soundoff.newsroom.views import release

from .schemas import CommentOut, CommentPageOut

# Entries of a version nobody asks for any more go after this long.
ENTRY_SECONDS = 600


def _shown_version(thread_id: int) -> tuple[int, datetime] | None:
    """The version of a thread readers may see, and when it moved."""
    return (
        Thread.objects.filter(pk=thread_id)
        .filter(Q(post=None) | published_filter(via="post__"))
        .values_list("version", "changed_at")
        .first()
    )


def cached_comments_page(
    request: HttpRequest, thread_id: int, *, sort: Sort, cursor: str | None, limit: int
) -> HttpResponse:
    shown = _shown_version(thread_id)
    if shown is None:
        raise Http404
    version, changed_at = shown
    parts = [release(), thread_id, version, sort.value, limit, cursor or "", get_language()]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    response = get_conditional_response(
        request, etag=etag, last_modified=int(changed_at.timestamp())
    )
    if response is None:
        key = f"soundoff:api:comments:{thread_id}:{version}:{digest}"
        body = cache.get(key)
        if body is None:
            body = _render(request, thread_id, sort=sort, cursor=cursor, limit=limit)
            cache.set(key, body, ENTRY_SECONDS)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed_at.timestamp())
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.SOUNDOFF_SHARED_CACHE_SECONDS
    )
    return response


def _render(
    request: HttpRequest, thread_id: int, *, sort: Sort, cursor: str | None, limit: int
) -> bytes:
    """The page as the schema shapes it (raises InvalidCursor: not cached)."""
    page = thread_page(Thread(pk=thread_id), sort=sort, cursor=cursor, limit=limit)
    out = CommentPageOut(
        items=[CommentOut.tree(node) for node in page.nodes], next_cursor=page.next_cursor
    )
    rendered = JSONRenderer().render(request, out.model_dump(), response_status=200)
    return rendered if isinstance(rendered, bytes) else rendered.encode()
