from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from pydantic import Field

from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Reaction, Thread
from soundoff.discussion.queries import Sort
from soundoff.embed.origins import is_allowed
from soundoff.lib.prepared import PreparedInstance
from soundoff.lib.urls import normalize_page_url, origin_of
from soundoff.newsroom.models import Post

from .auth import optional_reader
from .cached import DEFAULT_LIMIT, MAX_CURSOR, MAX_LIMIT, cached_comments_page
from .errors import BadInput
from .schemas import CommentOut, CommentPageOut, Counted, ErrorOut, ThreadMineOut, ThreadOut

router = Router(tags=["threads"])


_THREAD = PreparedInstance(
    Thread,
    lambda thread_id: Thread.objects.filter(pk=thread_id),
    related="post",
    thread_id=918_273_645,
)


def published_thread(thread_id: int) -> Thread:
    """A thread readers may see: of a published post, or of an outside page.
    Every comment posted through the API reads it, so its SQL is written
    once (soundoff.lib.prepared)."""
    thread = _THREAD.first(thread_id=thread_id)
    if thread is None or not thread.is_public:
        raise Http404
    return thread


def outside_thread(page_url: str) -> Thread | None:
    """The thread of an outside page, or None before its first comment;
    refuses pages of origins not allowed to embed."""
    url = normalize_page_url(page_url)
    if not is_allowed(origin_of(url)):
        raise NotAllowed(
            _(
                "This site is not allowed to embed discussions. Its operator can add "
                "%(origin)s to the allowed origins."
            )
            % {"origin": origin_of(url)},
            code="origin_not_allowed",
        )
    return Thread.objects.select_related("post").filter(page_url=url).first()


class ThreadQuery(Schema):
    post: str | None = Field(None, description="A post's slug.")
    url: str | None = Field(None, description="An outside page's URL.", max_length=1000)


@router.get("", response={200: ThreadOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def find_thread(request: HttpRequest, query: Query[ThreadQuery]) -> ThreadOut:
    """The thread of a post or of an outside page (a page without comments
    yet answers with an empty, not yet created thread)."""
    if bool(query.post) == bool(query.url):
        raise BadInput(_("Give either post or url."))
    if query.post:
        post = get_object_or_404(
            Post.objects.published().select_related("thread"), slug=query.post
        )
        thread = getattr(post, "thread", None)
        if thread is None:
            raise Http404
        return ThreadOut.of(thread)
    thread = outside_thread(query.url or "")
    if thread is None:
        return ThreadOut(
            id=None,
            post=None,
            page_url=normalize_page_url(query.url or ""),
            title="",
            **Counted.texts(0),
            mode=DiscussionMode.OPEN,
            is_open=True,
        )
    return ThreadOut.of(thread)


@router.get("/{thread_id}", response={200: ThreadOut, 404: ErrorOut, 422: ErrorOut})
def thread_detail(request: HttpRequest, thread_id: int) -> ThreadOut:
    return ThreadOut.of(published_thread(thread_id))


@router.get(
    "/{thread_id}/comments",
    response={200: CommentPageOut, 304: None, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def thread_comments(
    request: HttpRequest,
    thread_id: int,
    sort: Sort = Sort.OLDEST,
    cursor: str | None = Query(None, max_length=MAX_CURSOR),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Top-level comments in keyset pages, each with its first replies.

    The same for every reader, so public: send the ETag back in
    If-None-Match to get 304 Not Modified while the thread is unchanged."""
    return cached_comments_page(request, thread_id, sort=sort, cursor=cursor, limit=limit)


@router.get("/{thread_id}/mine", response={200: ThreadMineOut, 404: ErrorOut, 422: ErrorOut})
@decorate_view(never_cache)
def thread_mine(request: HttpRequest, thread_id: int) -> ThreadMineOut:
    """What the signed-in reader may do here: not part of the cacheable reads."""
    thread = published_thread(thread_id)
    reader = optional_reader(request)
    if reader is None:
        return ThreadMineOut(editable=[], deletable=[], reactions={})
    own = Comment.objects.filter(
        thread=thread, author=reader, status__in=[CommentStatus.VISIBLE, CommentStatus.HELD]
    )
    window = timezone.now() - timedelta(seconds=settings.SOUNDOFF_EDIT_WINDOW)
    reactions: dict[int, list[str]] = {}
    for comment_id, kind in Reaction.objects.filter(
        comment__thread=thread, user=reader
    ).values_list("comment_id", "kind"):
        reactions.setdefault(comment_id, []).append(kind)
    sources = dict(own.filter(created_at__gt=window).values_list("pk", "body"))
    return ThreadMineOut(
        editable=list(sources),
        deletable=list(own.values_list("pk", flat=True)),
        reactions=reactions,
        sources=sources,
        held=[
            CommentOut.of(comment, viewer=reader)
            for comment in Comment.objects.visible_to(reader)
            .filter(thread=thread, author=reader, status=CommentStatus.HELD)
            .select_related("author")
            .order_by("created_at", "pk")
        ],
    )
