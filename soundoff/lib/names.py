"""Display names: what readers are called beside their comments.

A display name is shown as typed (after cleaning), but uniqueness is decided
on two keys in which look-alikes collide, so that nobody can take fullwidth
"\uff2a\uff4f\uff45", "JOE" or "Jo\u200be" once "joe" is taken (the key), nor
"J\u043ee" with a Cyrillic "o", "B0b" against "Bob" or a Greek "\u0391lice" (the
skeleton), and pass as the same person.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from django.utils.translation import gettext as _

from soundoff.lib.text import unstorable_reason

MIN_LENGTH = 2
MAX_LENGTH = 40
# Combining marks one character may carry. Vietnamese needs two (ệ is e
# with a circumflex and a dot below); a pile of them ("zalgo" text) spills
# over the lines around the name and hides what it says.
MAX_MARKS = 3

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
    if _longest_run_of_marks(name) > MAX_MARKS:
        raise InvalidDisplayName(
            _(
                "Display names can have at most %(max)d accents or other marks on one letter. "
                "Remove the extra marks."
            )
            % {"max": MAX_MARKS}
        )
    return name


def _longest_run_of_marks(name: str) -> int:
    """The most combining marks in a row, in the composed form (so that an
    accented letter with a precomposed form counts as a plain letter)."""
    longest = run = 0
    for char in name:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        longest = max(longest, run)
    return longest


def numbered(name: str, number: int) -> str:
    """``name`` with " (number)" after it, shortened to fit MAX_LENGTH."""
    suffix = f" ({number})"
    return name[: MAX_LENGTH - len(suffix)].rstrip() + suffix


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


@cache
def _prototypes() -> dict[str, str]:
    """Map each confusable character to the one its look-alike group is
    represented by, from Unicode's confusables table (UTS #39), as shipped by
    confusable-homoglyphs.

    The table maps each character to a prototype, so its groups are stars: a
    prototype linked to every character that looks like it. The package
    keeps the links both ways without saying which end is the prototype; a
    character with several links is one, and of a pair either end will do
    (the smaller is taken, so every character of a group agrees). Its
    entries for right-to-left characters carry direction marks, dropped here.

    Imported here, on the first name checked: the package decodes its whole
    table on import (~14 MB), which server processes that never check a
    name (most of them, most of the time) would otherwise hold for life.
    """
    from confusable_homoglyphs.confusables import confusables_data

    links: dict[str, set[str]] = {}
    for char, glyphs in confusables_data.items():
        links.setdefault(_visible(char), set()).update(_visible(g["c"]) for g in glyphs)
    prototypes = {}
    for char, linked in links.items():
        if len(char) != 1:
            continue
        if len(linked) > 1:
            prototypes[char] = char
            continue
        (other,) = linked
        prototypes[char] = other if len(links.get(other, ())) > 1 else min(char, other)
    return prototypes


def display_name_skeleton(name: str) -> str:
    """Return the key on which names that look alike across scripts collide.

    The UTS #39 skeleton (decompose, replace each character by its group's
    prototype, decompose again), of the name as displayed, then case-folded
    and composed. Applied to the name as shown, because look-alikes are a
    matter of the letters' shapes: a Greek capital Beta looks like a Latin
    "B", but its small letter is not like "b". Case-insensitive collisions are
    the other key's (display_name_key); a name must be free on both.

    Ordinary accented names keep their accents ("José" is not "Jose"), and
    names in one script that has no look-alikes keep their letters.
    """
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", _normalize(name))
    mapped = "".join(prototypes.get(char, char) for char in decomposed)
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", mapped).casefold())
