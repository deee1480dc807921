from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from soundoff.discussion.queries import CURSOR_SALT, InvalidCursor
from soundoff.newsroom.models import Post

from .schemas import ErrorOut, PostDetailOut, PostOut, PostPageOut

router = Router(tags=["posts"])


@router.get("", response={200: PostPageOut, 400: ErrorOut, 422: ErrorOut})
def list_posts(request: HttpRequest, cursor: str | None = None) -> PostPageOut:
    """Published posts, newest first, with their comment counts."""
    posts = Post.objects.published().select_related("thread").order_by("-published_at", "-id")
    if cursor:
        try:
            published, pk = signing.loads(cursor, salt=CURSOR_SALT + ".posts")
            moment = datetime.fromisoformat(published)
            posts = posts.filter(Q(published_at__lt=moment) | Q(published_at=moment, id__lt=pk))
        except (signing.BadSignature, ValueError, TypeError):
            raise InvalidCursor(
                _("That cursor is not valid. Start again from the first page.")
            ) from None
    limit = settings.SOUNDOFF_POSTS_PER_PAGE
    rows = list(posts[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        assert last.published_at is not None  # published() implies it
        next_cursor = signing.dumps(
            [last.published_at.isoformat(), last.pk], salt=CURSOR_SALT + ".posts"
        )
    return PostPageOut(items=[PostOut.of(post) for post in rows], next_cursor=next_cursor)


@router.get("/{slug}", response={200: PostDetailOut, 404: ErrorOut, 422: ErrorOut})
def post_detail(request: HttpRequest, slug: str) -> PostDetailOut:
    post = get_object_or_404(Post.objects.published().select_related("thread"), slug=slug)
    return PostDetailOut(**PostOut.of(post).model_dump(), body_html=post.body_html)
