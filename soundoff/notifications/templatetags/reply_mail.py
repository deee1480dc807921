from __future__ import annotations

from typing import Any

from django import template

from soundoff.discussion.models import Thread

from .. import services

register = template.Library()


@register.inclusion_tag("notifications/mute_form.html", takes_context=True)
def mute_form(context: template.Context, thread: Thread) -> dict[str, Any]:
    """The button that mutes (or unmutes) the discussion's reply e-mails,
    for a signed-in reader who gets them."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not services.wants_reply_mail(user):
        return {"shown": False}
    return {
        "shown": True,
        "thread": thread,
        "muted": services.is_muted(thread, user=user),
        "csrf_token": context.get("csrf_token"),
    }
