"""Anonymous-grade reads of a thread's comments, from one cache entry.

A page of a thread's comments is the same for every reader (what is theirs
comes from /mine), so it is kept whole: the answer, headers and JSON body,
in the cache, under a key made of the thread's version and the page's
parameters (soundoff.lib.shared). A read looks up the thread's version
(one indexed row, no model built) and answers with the stored answer, or
304 when the client's ETag names that version; for an anonymous reader
SharedCommentsMiddleware does so before django-ninja or any other
middleware runs. Only a miss reads comments (as rows) and renders their
JSON. Every change a
page shows (a comment posted, edited, removed or restored, a reaction, an
author's new name or picture) bumps the version in the writer's
transaction, so the next read misses; entries of older versions are never
read again and expire.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse

from soundoff.discussion.models import Thread
from soundoff.discussion.queries import Sort, thread_page
from soundoff.lib.prepared import PreparedRead
from soundoff.lib.shared import Shared, SharedResponseMiddleware, shared_response
from soundoff.newsroom.models import Post

from .schemas import listing_body

# The operation's bounds (threads.thread_comments takes them from here).
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_CURSOR = 500
# A limit as a client writes it and int() reads it back the same.
_LIMIT = re.compile(r"[1-9][0-9]{0,2}")

_THREAD_ROW = PreparedRead(
    lambda thread_id: Thread.objects.filter(pk=thread_id).values_list(
        "version", "changed_at", "page_url", "post_id", "post__status", "post__published_at"
    ),
    thread_id=918_273_645,
)


def _shown_version(thread_id: int) -> tuple[int, datetime] | None:
    """The version of a thread readers may see, and when it moved: one
    indexed row, in SQL written once (soundoff.lib.prepared)."""
    row = _THREAD_ROW.first(thread_id=thread_id)
    if row is None:
        return None
    version, changed_at, page_url, post_id, status, published_at = row
    # Models of just these columns (from_db: no defaults computed), so that
    # the thread's own rule says whether readers may see it.
    thread = Thread.from_db(None, ["id", "page_url"], [thread_id, page_url])
    post = (
        Post.from_db(None, ["id", "status", "published_at"], [post_id, status, published_at])
        if post_id
        else None
    )
    Thread.post.field.set_cached_value(thread, post)
    if not thread.is_public:
        return None
    return version, changed_at


def comments_page_shared(
    thread_id: int, *, sort: Sort, cursor: str | None, limit: int
) -> Shared | None:
    """The name of a page of comments; None for a thread readers may not see."""
    shown = _shown_version(thread_id)
    if shown is None:
        return None
    version, changed_at = shown
    return Shared(
        name="api-comments",
        parts=[thread_id, version, sort.value, limit, cursor or ""],
        changed_at=changed_at,
    )


def cached_comments_page(
    request: HttpRequest, thread_id: int, *, sort: Sort, cursor: str | None, limit: int
) -> HttpResponse:
    shared = comments_page_shared(thread_id, sort=sort, cursor=cursor, limit=limit)
    if shared is None:
        raise Http404
    return shared_response(
        request,
        shared,
        render=lambda: _render(request, thread_id, sort=sort, cursor=cursor, limit=limit),
        content_type="application/json; charset=utf-8",
    )


class SharedCommentsMiddleware(SharedResponseMiddleware):
    """GET /api/v1/threads/{id}/comments (threads.thread_comments) from its
    one cache entry, before django-ninja parses anything. Only parameters
    as that operation takes them unchanged are answered here (at most one
    each of sort, limit and cursor, within its bounds); anything else, and
    every refusal, is the operation's."""

    path = re.compile(r"/api/v1/threads/(?P<thread_id>[0-9]{1,18})/comments\Z")

    def shared(self, request: HttpRequest, **matched: str) -> Shared | None:
        asked = request.GET
        if not set(asked) <= {"sort", "limit", "cursor"} or any(
            len(values) > 1 for _, values in asked.lists()
        ):
            return None
        sort = asked.get("sort", Sort.OLDEST.value)
        limit = asked.get("limit", str(DEFAULT_LIMIT))
        cursor = asked.get("cursor")
        if (
            sort not in Sort
            or not _LIMIT.fullmatch(limit)
            or not 1 <= int(limit) <= MAX_LIMIT
            or (cursor is not None and (len(cursor) > MAX_CURSOR or "\x00" in cursor))
        ):
            return None
        return comments_page_shared(
            int(matched["thread_id"]), sort=Sort(sort), cursor=cursor, limit=int(limit)
        )


def _render(
    request: HttpRequest, thread_id: int, *, sort: Sort, cursor: str | None, limit: int
) -> bytes:
    """The page as CommentPageOut shapes it (raises InvalidCursor: not cached)."""
    page = thread_page(Thread(pk=thread_id), sort=sort, cursor=cursor, limit=limit)
    return listing_body(request, page.nodes, page.next_cursor)
