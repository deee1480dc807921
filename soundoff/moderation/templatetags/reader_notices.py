"""What a reader is told on the pages where they could write: why they
may not (a suspension or a ban), and which of their comments wait for a
moderator (shown only to them, since held comments are in no shared list)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import QuerySet

from soundoff.discussion.models import Comment, CommentStatus, Thread
from soundoff.moderation import queries

register = template.Library()


@register.simple_tag
def sanction_notice(user: Any) -> str | None:
    """Why and until when ``user`` may not write; None when they may."""
    if user is None or not user.is_authenticated:
        return None
    return queries.sanction_notice(user)


@register.simple_tag
def held_comments(user: Any, thread: Thread) -> QuerySet[Comment] | list[Comment]:
    """``user``'s own comments in ``thread`` that wait for a moderator.
    None for the public, as a list: an empty QuerySet is compiled whole
    before it finds itself empty, a twelfth of a cold page's work."""
    if user is None or not user.is_authenticated:
        return []
    return (
        Comment.objects.visible_to(user)
        .filter(thread=thread, author=user, status=CommentStatus.HELD)
        .select_related("author", "parent__author")
        .order_by("created_at", "pk")
    )
