"""Changes to posts, shared by the admin, the demo loader and commands."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from soundoff.accounts.models import User
from soundoff.discussion.errors import NotAllowed
from soundoff.discussion.models import DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.moderation.discussion_settings import set_discussion_policy

from .errors import UpdateRefused
from .models import Post, PostUpdate, UpdateKind


def save_post(
    post: Post, *, by: User | None = None, policy: DiscussionPolicy | None = None
) -> Post:
    """Save a post and make sure its discussion exists, in one transaction.

    A new discussion starts with ``policy``, else its category's policy,
    else open. Changing the policy of an existing one is a moderation
    decision and is audited.
    """
    with transaction.atomic():
        post.save()
        thread = Thread.objects.filter(post=post).first()
        if thread is None:
            thread = Thread(post=post)
            (policy or default_policy(post)).apply_to(thread)
            thread.save()
        elif policy is not None and policy != DiscussionPolicy.of(thread):
            set_discussion_policy(thread, by=by, policy=policy)
    return post


def default_policy(post: Post) -> DiscussionPolicy:
    category = post.category
    if category is None:
        return DiscussionPolicy()
    return DiscussionPolicy(
        DiscussionMode(category.discussion), category.slow_mode_seconds, category.close_after_hours
    )


def add_post_update(post: Post, *, by: User | None, kind: UpdateKind, text: str) -> PostUpdate:
    """Add a dated update or correction to a published post.

    Entries are only ever added (see PostUpdate). The post's updated_at
    moves to the entry's time in the same transaction, so the page's ETag
    and Last-Modified, the feed and the sitemap all show the change without
    reading the entries.
    """
    if by is not None and not by.has_perm("newsroom.add_postupdate"):
        raise NotAllowed(_("Only editors can add an update or a correction to a post."))
    entry = PostUpdate(post=post, kind=kind, text=text, editor=by)
    try:
        entry.full_clean(exclude=["post", "editor"])
    except ValidationError as error:
        raise UpdateRefused(" ".join(error.messages)) from None
    with transaction.atomic():
        entry.save()
        Post.objects.filter(pk=post.pk).update(updated_at=entry.created_at)
    post.updated_at = entry.created_at
    return entry
