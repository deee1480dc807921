"""Template filters of the moderator pages."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Comment.held_reason is a code written by a pipeline phase, a scoring task
# or the flag threshold; moderators read it in words.
HELD_REASONS = {
    "flags": _("Held after reader reports"),
    "links": _("Held by the link check"),
    "suspect_word": _("Held for a suspect word"),
    "premoderated": _("Held: this discussion is pre-moderated"),
    "new_commenter": _("Held: one of a new commenter's first comments"),
    "score_toxicity": _("Held for a high toxicity score"),
    "score_offensive": _("Held for a high offensive-language score"),
    "score_spam": _("Held for a high spam score"),
    "score_threat": _("Held: it reads as a threat of violence"),
    "score_doxxing": _("Held: it may reveal a person's address, phone or e-mail"),
    "score_identity_hate": _("Held: it reads as an attack on a group of people"),
}

# A flag raised by a check (no reporter) carries the check's code.
CHECK_FLAGS = {
    "links": _("links"),
    "suspect_word": _("a suspect word"),
    "new_commenter": _("a new commenter"),
}


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def held_reason(code: str) -> str:
    return str(HELD_REASONS.get(code, code))


@register.filter
def check_flag(code: str) -> str:
    return str(CHECK_FLAGS.get(code, code))
