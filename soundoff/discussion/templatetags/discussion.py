"""The discussion header's count text as a filter (defined in
soundoff.discussion.counts), and what a comment's reaction buttons show."""

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import ngettext

from soundoff.discussion.counts import soundoff_count
from soundoff.discussion.models import Comment, ReactionKind

register = template.Library()
register.filter("soundoff_count", soundoff_count)


@register.filter
def editable_by(comment: Comment, user: AbstractBaseUser | AnonymousUser) -> bool:
    return comment.can_be_edited_by(user)


@register.filter
def reaction_count(count: int) -> str:
    """Empty for none, so that a comment nobody reacted to shows nothing."""
    if count == 0:
        return ""
    return ngettext("%(count)d reaction", "%(count)d reactions", count) % {"count": count}


@register.filter
def reaction_buttons(
    comment: Comment | None, pressed: dict[int, set[str]] | None
) -> list[tuple[str, str, bool]]:
    """(kind, label, pressed by this reader) for each kind of reaction;
    ``pressed`` is queries.reactions_by's answer for the page, ``comment``
    None for the buttons of a comment the page has not shown yet."""
    mine = (pressed or {}).get(comment.pk, set()) if comment else set()
    return [(kind.value, str(kind.label), kind.value in mine) for kind in ReactionKind]
