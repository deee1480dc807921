from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from soundoff.discussion.models import Thread
from soundoff.lib.urls import InvalidPageURL, normalize_page_url
from soundoff.newsroom.models import Post

from .errors import BadInput
from .schemas import CountOut, CountsOut, ErrorOut

router = Router(tags=["counts"])
MAX_COUNT_KEYS = 100


@router.get("", response={200: CountsOut, 422: ErrorOut})
def counts(
    request: HttpRequest, post: list[str] = Query([]), url: list[str] = Query([])
) -> CountsOut:
    """`soundoff (N Responses)` for up to 100 posts or page URLs at once."""
    if len(post) + len(url) > MAX_COUNT_KEYS:
        raise BadInput(
            _("Ask for at most %(n)d counts at a time.") % {"n": MAX_COUNT_KEYS}, code="too_many"
        )
    found: dict[str, int] = {}
    if post:
        found.update(
            Thread.objects.filter(
                post__slug__in=post, post__in=Post.objects.published()
            ).values_list("post__slug", "comment_count")
        )
    normalised: dict[str, str] = {}
    for raw in url:
        try:
            normalised[raw] = normalize_page_url(raw)
        except InvalidPageURL:
            continue
    by_url = dict(
        Thread.objects.filter(page_url__in=set(normalised.values())).values_list(
            "page_url", "comment_count"
        )
    )
    found.update({raw: by_url.get(canonical, 0) for raw, canonical in normalised.items()})
    keys = [*post, *url]
    return CountsOut(counts=[CountOut.of(key, found.get(key, 0)) for key in keys])
