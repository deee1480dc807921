"""The count text used everywhere: "No Responses", "One Response", "2 Responses"."""

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext, ngettext

from soundoff.discussion.models import Comment

register = template.Library()


@register.filter
def response_count(count: int) -> str:
    if count == 0:
        return gettext("No Responses")
    return ngettext("One Response", "%(count)d Responses", count) % {"count": count}


@register.filter
def editable_by(comment: Comment, user: AbstractBaseUser | AnonymousUser) -> bool:
    return comment.can_be_edited_by(user)
