"""Changes to posts, shared by the admin, the demo loader and commands."""

from __future__ import annotations

from django.db import transaction

from soundoff.accounts.models import User
from soundoff.discussion.models import DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.moderation.services import set_discussion_policy

from .models import Post


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
