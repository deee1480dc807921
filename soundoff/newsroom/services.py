"""Changes to posts, shared by the admin, the demo loader and commands."""

from __future__ import annotations

from django.db import transaction

from soundoff.discussion.models import DiscussionMode, Thread

from .models import Post


def save_post(post: Post, *, discussion: DiscussionMode | None = None) -> Post:
    """Save a post and make sure its discussion exists, in one transaction."""
    with transaction.atomic():
        post.save()
        thread, created = Thread.objects.get_or_create(
            post=post, defaults={"mode": discussion or DiscussionMode.OPEN}
        )
        if not created and discussion is not None and thread.mode != discussion:
            thread.mode = discussion
            thread.save(update_fields=["mode"])
    return post
