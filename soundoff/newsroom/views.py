"""The front page, the category pages, the post page, search and the
editors' preview."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from soundoff.discussion.models import Thread
from soundoff.discussion.queries import InvalidCursor, Sort, decode_cursor
from soundoff.lib.fulltext import MAX_QUERY_LENGTH, asked, paginate
from soundoff.lib.prepared import PreparedRead
from soundoff.lib.shared import Shared, shared_response

from .models import Category, Post
from .post_page import published_post, render_post_page, thread_of
from .queries import search_posts


class FrontPage(ListView):
    template_name = "newsroom/front.html"
    context_object_name = "posts"

    def get_paginate_by(self, queryset: Any) -> int:
        return settings.SOUNDOFF_POSTS_PER_PAGE

    def get_queryset(self) -> Any:
        return Post.objects.published().select_related("thread", "category")


class CategoryPage(FrontPage):
    """A section's page at the site's root, /world/: its posts as the front
    page lists them."""

    def get_queryset(self) -> Any:
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(category=self.category, **kwargs)


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The post page. Anonymous readers get a page with nothing personal in
    it, the same for all of them: it is answered from one cache entry
    named by the versions it shows (see soundoff.lib.shared), after one
    query for the post and its thread, and browsers and CDNs may keep it
    and revalidate it with its ETag; a stored answer is usually given by
    middleware.SharedPostPageMiddleware before this runs. Signed-in readers
    get a private page, never from that entry."""
    if not _shareable(request):
        response = render_post_page(request, published_post(slug))
        patch_cache_control(response, private=True, no_cache=True)
        return response
    return _shared_post_page(request, slug)


# What the shared page depends on, in one row: its SQL is written once
# (soundoff.lib.prepared), so that a page from the cache builds no query.
_PAGE_ROW = PreparedRead(
    lambda slug: Post.objects.filter(slug=slug).values_list(
        "pk",
        "status",
        "published_at",
        "updated_at",
        "category__slug",
        "category__name",
        "thread__pk",
        "thread__version",
        "thread__changed_at",
        "thread__mode",
        "thread__close_after_hours",
    ),
    slug="stand-in-slug-918273645",
)


# In the models' field order, as from_db takes them.
_POST_COLUMNS = ["id", "status", "published_at", "updated_at"]
_THREAD_COLUMNS = ["id", "mode", "close_after_hours", "version", "changed_at"]


def post_page_shared(request: HttpRequest, slug: str) -> Shared | None:
    """The name of the anonymous page, from the parts in one row; None when
    the full path must decide (no such post, not out yet, a post without
    its thread)."""
    row = _PAGE_ROW.first(slug=slug)
    if row is None:
        return None
    post_id, status, published_at, updated_at, category_slug, category_name, *of_thread = row
    # Models of just these columns (from_db: no defaults computed), so that
    # their own rules say whether the post is out and the discussion open.
    post = Post.from_db(None, _POST_COLUMNS, [post_id, status, published_at, updated_at])
    thread_id, version, changed_at, mode, close_after_hours = of_thread
    if not post.is_published or thread_id is None:
        return None
    thread = Thread.from_db(
        None, _THREAD_COLUMNS, [thread_id, mode, close_after_hours, version, changed_at]
    )
    Thread.post.field.set_cached_value(thread, post)
    category = (category_slug, category_name) if category_slug is not None else None
    return Shared(
        name="post",
        parts=_page_parts(request, post, category, thread),
        changed_at=max(updated_at, changed_at),
        store=_is_canonical(request, thread),
    )


def _shared_post_page(request: HttpRequest, slug: str) -> HttpResponse:
    shared = post_page_shared(request, slug)
    if shared is None:
        # Not found (404), or a post saved outside save_post (a raw
        # fixture), which gets its thread here.
        thread_of(published_post(slug))
        shared = post_page_shared(request, slug)
        if shared is None:
            raise Http404
    return shared_response(
        request,
        shared,
        render=lambda: render_post_page(request, published_post(slug)).content,
        content_type="text/html; charset=utf-8",
    )


def _shareable(request: HttpRequest) -> bool:
    """Nothing of this reader's would be in the page: not signed in, and no
    flash message waiting for them."""
    return not request.user.is_authenticated and "messages" not in request.COOKIES


def _page_parts(
    request: HttpRequest, post: Post, category: tuple[str, str] | None, thread: Thread
) -> list[object]:
    """Everything the anonymous page depends on besides the release and the
    language: the post's updated_at its edits, updates and corrections
    (add_post_update moves it), the category its linked name (a rename
    touches no post), the thread's version every comment and policy
    change, is_open the discussion closing by itself at its time, the full
    path the log-in links that bring the reader back, and the settings the
    page is printed with."""
    return [
        post.pk,
        post.updated_at.timestamp(),
        category,
        thread.pk,
        thread.version,
        thread.is_open,
        request.get_full_path(),
        settings.SOUNDOFF_SITE_NAME,
        settings.SOUNDOFF_TIME_ZONE,
        settings.SOUNDOFF_TIME_ZONE_LABEL,
        settings.SOUNDOFF_COMMENTS_PER_PAGE,
        settings.SOUNDOFF_REPLY_WINDOW,
    ]


def _is_canonical(request: HttpRequest, thread: Thread) -> bool:
    """A page worth keeping for the next reader: asked with no parameters
    but an order and a cursor of ours. Anything else (tracking tags, a
    forged cursor) is rendered but not stored, or anyone could fill the
    cache with pages nobody asks for again."""
    if not set(request.GET) <= {"sort", "cursor"}:
        return False
    sort = request.GET.get("sort", Sort.OLDEST.value)
    if sort not in Sort:
        return False
    cursor = request.GET.get("cursor")
    if cursor is None:
        return True
    try:
        decode_cursor(cursor, kind=f"t{thread.pk}", sort=Sort(sort))
    except InvalidCursor:
        return False
    return True


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Readers' search over published posts; without words, just the form."""
    question = asked(request)
    page = paginate(
        search_posts(question.text), settings.SOUNDOFF_POSTS_PER_PAGE, request.GET.get("page")
    )
    return render(
        request,
        "newsroom/search.html",
        {
            "q": question.text,
            "query": question.link,
            "searched": question.has_words,
            "page": page,
            "max_length": MAX_QUERY_LENGTH,
        },
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers index posts (the sitemap lists them) and nothing personal:
    accounts, moderation, the API, live streams and comment actions."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request,
        "newsroom/robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )


@staff_member_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors see a draft or scheduled post exactly as readers will."""
    post = get_object_or_404(Post.objects.select_related("thread", "category"), pk=pk)
    return render_post_page(request, post, preview=True)
