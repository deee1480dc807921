"""Display names: what readers are called beside their comments.

A display name is shown as typed (after cleaning), but uniqueness is decided
on a key in which look-alikes collide, so that nobody can take fullwidth "\uff2a\uff4f\uff45",
"JOE" or "Jo\u200be" once "joe" is taken and pass as the same person.
Confusables across scripts (a Latin "o" against a Cyrillic one) are not folded
here; that needs Unicode's confusables table and is a moderation matter.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from soundoff.lib.text import unstorable_reason

MIN_LENGTH = 2
MAX_LENGTH = 40

# Removed before anything else, because they are invisible and exist in
# names only to make two names look alike (or to reverse the text around
# them, as "Trojan Source" bidi tricks do).
INVISIBLE = frozenset(
    "\u061c"  # Arabic letter mark
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060"  # word joiner
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # zero-width no-break space (byte-order mark)
    # Letters that render as blank space, used to make names that look empty
    # (and that would otherwise pass the "has a letter" rule).
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
)
_WHITESPACE = re.compile(r"\s+")


class InvalidDisplayName(ValueError):
    """A display name that can't be accepted; ``str(error)`` tells the reader why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _visible(text: str) -> str:
    """Drop the invisible characters: the listed ones and every other format character.

    Format characters (Unicode category Cf: soft hyphens, invisible operators,
    tag characters…) are all invisible in a name, so any of them would let
    "joe" be registered twice.
    """
    return "".join(
        char for char in text if char not in INVISIBLE and unicodedata.category(char) != "Cf"
    )


def _normalize(raw: str) -> str:
    """Apply the character-level cleaning, without judging the result.

    NFKC runs after the invisible characters are gone, so that a letter and a
    combining mark once separated by one of them compose as they would have;
    whitespace is collapsed last because NFKC can produce some ("\u3000", "¨").
    """
    text = _visible(unicodedata.normalize("NFKC", _visible(raw)))
    return _WHITESPACE.sub(" ", text).strip()


def clean_display_name(raw: str) -> str:
    """Return ``raw`` cleaned for display, or raise InvalidDisplayName saying why.

    Control characters are refused rather than removed (apart from tabs and
    line breaks, which are whitespace and collapse to a space): they are never
    typed by accident, and removing them silently would hide the attempt.
    """
    if reason := unstorable_reason(raw):
        raise InvalidDisplayName(reason)
    name = _normalize(raw)
    if len(name) < MIN_LENGTH:
        raise InvalidDisplayName(
            _("Display names need at least %(min)d characters.") % {"min": MIN_LENGTH}
        )
    if len(name) > MAX_LENGTH:
        raise InvalidDisplayName(
            _("Display names can have at most %(max)d characters.") % {"max": MAX_LENGTH}
        )
    if not any(char.isalnum() for char in name):
        raise InvalidDisplayName(_("Display names need at least one letter or digit."))
    return name


def display_name_key(name: str) -> str:
    """Return the key on which display names must be unique.

    NFKC, invisible characters removed, whitespace collapsed, case folded,
    then NFKC again because case folding can undo the normal form.

    This does not validate, on purpose: the model computes the key on every
    save, and a name stored before a rule was tightened must still get a key
    rather than make the save fail. Validate input with clean_display_name
    first. The key of a valid name is at most twice its length ("ß" folds to
    "ss"), so at most 80 characters.
    """
    return unicodedata.normalize("NFKC", _normalize(name).casefold())
