"""The post page as readers see it, rendered for newsroom's own views and
for the comment form's views in discussion, which re-render it with the
reader's form and its errors so that nothing they typed is lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soundoff.accounts.queries import policies_awaiting
from soundoff.discussion.forms import CommentForm
from soundoff.discussion.models import Thread
from soundoff.discussion.queries import InvalidCursor, Sort, reactions_by, thread_page
from soundoff.lib.prepared import PreparedRead

from .models import Category, Post, PostUpdate

SORT_LABELS = {
    Sort.OLDEST: _("Oldest first"),
    Sort.NEWEST: _("Newest first"),
    Sort.REACTIONS: _("Most reactions"),
}


def render_post_page(
    request: HttpRequest,
    post: Post,
    *,
    form: CommentForm | None = None,
    status: int = 200,
    preview: bool = False,
) -> HttpResponse:
    """The post page; the comment views re-render it with the reader's
    form (and its errors) so nothing they typed is lost."""
    thread = thread_of(post)
    # Only a signed-in reader is shown the form, and so the acceptance box.
    awaiting = policies_awaiting(request.user) if request.user.is_authenticated else []
    if form is None:
        form = CommentForm(initial=_saved_draft(request, thread), needs_acceptance=bool(awaiting))
    sort = Sort(request.GET["sort"]) if request.GET.get("sort") in Sort else Sort.OLDEST
    try:
        page = thread_page(thread, sort=sort, cursor=request.GET.get("cursor"))
    except InvalidCursor:
        page = thread_page(thread, sort=sort)
    context = {
        "post": post,
        "updates": updates_of(post),
        "thread": thread,
        "page": page,
        "form": form,
        "awaiting": awaiting,
        "preview": preview,
        "sorts": [(choice.value, label) for choice, label in SORT_LABELS.items()],
        # Signed-in readers' pages are never shared (see post_detail), so
        # their pressed reactions may be in it; the shared page has counts.
        "can_react": request.user.is_authenticated and thread.is_open,
        "reader_reactions": reactions_by(request.user, page.nodes),
    }
    return render(request, "newsroom/post.html", context, status=status)


# The columns the page shows of each update, in the model's order (its
# Meta.ordering holds), read with SQL the ORM writes once (lib/prepared).
_UPDATE_COLUMNS = ["id", "kind", "text_html", "created_at"]
_UPDATES = PreparedRead(
    lambda post_id: PostUpdate.objects.filter(post_id=post_id).values_list(*_UPDATE_COLUMNS),
    post_id=918_273_645,
)


def updates_of(post: Post) -> list[PostUpdate]:
    """The post's updates and corrections, oldest first: models of the
    columns the page shows (from_db: no defaults computed)."""
    rows = _UPDATES.all(post_id=post.pk)
    return [PostUpdate.from_db(None, _UPDATE_COLUMNS, row) for row in rows]


# A post with its thread and category, as select_related gives them, in
# SQL the ORM writes once: building and compiling that query cost a cold
# page a tenth of its work (bench/profile_read.py).
_FIELDS = {
    model: [f.attname for f in model._meta.concrete_fields] for model in (Post, Thread, Category)
}
_PUBLISHED_POST = PreparedRead(
    lambda slug, now: (
        Post.objects.published(now=now)
        .filter(slug=slug)
        .values_list(
            *_FIELDS[Post],
            *(f"thread__{name}" for name in _FIELDS[Thread]),
            *(f"category__{name}" for name in _FIELDS[Category]),
        )
    ),
    slug="stand-in-slug-918273645",
    now=datetime(1987, 6, 5, 4, 3, 2, 10203, tzinfo=UTC),
)


def published_post(slug: str) -> Post:
    """The published post ``slug`` names, its thread and category read
    with it; Http404 if readers can't see it."""
    row = _PUBLISHED_POST.first(slug=slug, now=timezone.now())
    if row is None:
        raise Http404
    at_thread = len(_FIELDS[Post])
    at_category = at_thread + len(_FIELDS[Thread])
    post = Post.from_db(None, _FIELDS[Post], row[:at_thread])
    category = row[at_category:]
    Post.category.field.set_cached_value(
        post,
        Category.from_db(None, _FIELDS[Category], category) if category[0] is not None else None,
    )
    thread = row[at_thread:at_category]
    if thread[0] is not None:  # else thread_of makes it
        in_hand = Thread.from_db(None, _FIELDS[Thread], thread)
        Thread.post.field.set_cached_value(in_hand, post)
        Post.thread.related.set_cached_value(post, in_hand)
    return post


def thread_of(post: Post) -> Thread:
    """The post's discussion."""
    try:
        return post.thread
    except Thread.DoesNotExist:
        # Posts saved outside save_post (e.g. a raw fixture) get theirs here.
        thread, _ = Thread.objects.get_or_create(post=post)
        return thread


def _saved_draft(request: HttpRequest, thread: Thread) -> dict[str, Any]:
    """A comment typed while logged out, kept in the session through log-in."""
    if not request.user.is_authenticated:
        return {}
    draft = request.session.get("comment_draft")
    if not draft or draft.get("thread") != thread.pk:
        return {}
    del request.session["comment_draft"]
    return {"body": draft.get("body", ""), "parent": draft.get("parent")}
