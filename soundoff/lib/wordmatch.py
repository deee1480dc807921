"""Find a moderator's word list in reader text, however the writer disguised it.

The banned-words phase refuses a comment and the suspect-words phase holds it,
so a miss lets abuse through and a false hit silences an innocent reader. Both
failures are weighed here, in one place, for both phases.

How text is read, in order:

1. Every character is folded on its own (so offsets back into the original
   text stay exact for highlighting): casefold, compatibility decomposition
   (NFKD, which turns full-width, circled and mathematical letters into plain
   ones), combining marks dropped ("ïdiöt" reads "idiot"), invisible format
   characters dropped (zero-width, bidi controls, soft hyphen), small
   capitals ("ꜰᴀɢ", which Unicode does not decompose) read as their letter,
   and a few Cyrillic and Greek look-alikes mapped to the Latin letter they
   imitate.
2. The folded text becomes a stream of letters and word boundaries. A run of
   punctuation or spaces is one boundary. Between two one-letter words
   ("i.d.i.o.t", "i d i o t") a boundary may also be skipped, so a word
   spelled out letter by letter reads as the word; ordinary words are never
   glued together ("as soon as" never reads "assoonas"). Inside such a run
   any letter may begin a word, since nothing shows where one does.
3. Look-alike digits and symbols are ambiguous, so each is read every way at
   once: "1" is 1, i or l; "!" is i, l or a boundary (a word may end with an
   exclamation mark). Digits are read as letters only inside a word that has
   letters or symbols too, so "1488" stays a number while "1d10t" is "idiot".
   A "*" between two letters of a word masks one letter ("f*ggot",
   "n****r") and reads as any letter; elsewhere it is punctuation, so
   Markdown emphasis and a "5*3" never mask anything.
4. Entries go through the same folding, and are then matched with a small
   non-deterministic automaton run over a trie of all entries at once: every
   letter of an entry may be repeated ("iiiidiooooot"), but an entry's own
   double letters are required ("kill" needs two l's, so "ass" never matches
   "as"). A match must start and end on a word boundary, except that "s" or
   "es" may follow ("idiots", "asses"), and an entry ending in "y" also
   reads "ie" ("trannies"); nothing else may ("skill", "class",
   "Scunthorpe" and "therapist" are safe).
5. A second list of allowed phrases can spare a match: a match that lies
   wholly inside an allowed phrase ("chink in the armor") does not count.

There are no regular expressions. The automaton keeps at most one live state
per trie node and suffix, so the work is the length of the text times a bound
set by the word list, never worse, whatever a reader types.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# Readings of one position in the stream: a letter, a word boundary, or (only
# between spelled-out letters) nothing at all.
_BOUNDARY = " "
_SKIP = ""
# A masking "*" between letters: any one letter.
_ANY = "*"

# Look-alike letters from other scripts, after casefolding. Kept short on
# purpose: each pair is one that is seen used to dodge filters, and every
# addition makes some real word in that script read as Latin.
_CONFUSABLES = {
    unicodedata.lookup(name): latin
    for name, latin in (
        ("CYRILLIC SMALL LETTER A", "a"),
        ("CYRILLIC SMALL LETTER IE", "e"),
        ("CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I", "i"),
        ("CYRILLIC SMALL LETTER JE", "j"),
        ("CYRILLIC SMALL LETTER KA", "k"),
        ("CYRILLIC SMALL LETTER O", "o"),
        ("CYRILLIC SMALL LETTER ER", "p"),
        ("CYRILLIC SMALL LETTER ES", "c"),
        ("CYRILLIC SMALL LETTER U", "y"),
        ("CYRILLIC SMALL LETTER HA", "x"),
        ("CYRILLIC SMALL LETTER DZE", "s"),
        ("CYRILLIC SMALL LETTER KOMI DE", "d"),
        ("CYRILLIC SMALL LETTER SHHA", "h"),
        ("CYRILLIC SMALL LETTER PALOCHKA", "l"),
        ("CYRILLIC SMALL LETTER QA", "q"),
        ("CYRILLIC SMALL LETTER WE", "w"),
        ("GREEK SMALL LETTER ALPHA", "a"),
        ("GREEK SMALL LETTER EPSILON", "e"),
        ("GREEK SMALL LETTER IOTA", "i"),
        ("GREEK SMALL LETTER KAPPA", "k"),
        ("GREEK SMALL LETTER NU", "v"),
        ("GREEK SMALL LETTER OMICRON", "o"),
        ("GREEK SMALL LETTER RHO", "p"),
        ("GREEK SMALL LETTER UPSILON", "u"),
        ("GREEK SMALL LETTER CHI", "x"),
        ("LATIN SMALL LETTER SCRIPT G", "g"),
        ("LATIN SMALL LETTER DOTLESS I", "i"),
    )
}
# Digits read as letters (as well as themselves) inside a word with letters.
_LEET_DIGITS = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}
# Symbols read as letters. In reader text each may also be plain punctuation.
_LEET_SYMBOLS = {"@": "a", "$": "s", "!": "il", "|": "li", "+": "t", "€": "e"}
# Blank-looking letters that Unicode does not class as format characters.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0")
# Small capitals have no compatibility decomposition; their names give the letter.
_SMALL_CAPITAL = "LATIN LETTER SMALL CAPITAL "
# An entry full of ambiguous characters ("1111111") would otherwise expand to
# thousands of trie paths; past this many, further ones are read one way.
_MAX_VARIANTS = 64
# Folding a fold again changes nothing after a couple of rounds (black-letter
# capital H needs NFKD, then casefold); the bound guards against surprises.
_FOLD_ROUNDS = 4
# Automaton states after a finished entry: in the entry itself, or past an
# "s", an "e" or an "es" suffix. A state is ``node * 4 + suffix``.
_IN_ENTRY, _AFTER_S, _AFTER_E, _AFTER_ES = range(4)


@dataclass(frozen=True)
class Match:
    """An entry found in a text, with its span in the text as the reader wrote it.

    ``text[start:end]`` covers the disguised word itself ("i.d.i.o.t"), so a
    moderator's page can highlight exactly what triggered the check.
    Offsets count code points, as Python strings do.
    """

    entry: str
    start: int
    end: int


def _look_alike(char: str) -> str:
    """The Latin letter ``char`` imitates, or ``char`` itself."""
    name = unicodedata.name(char, "")
    if name.startswith(_SMALL_CAPITAL) and len(name) == len(_SMALL_CAPITAL) + 1:
        return name[-1].lower()
    return _CONFUSABLES.get(char, char)


def _fold_once(char: str) -> str:
    if char in _INVISIBLE or unicodedata.category(char) == "Cf":
        return ""
    return "".join(
        _look_alike(part)
        for part in unicodedata.normalize("NFKD", char.casefold())
        if not unicodedata.category(part).startswith("M")
    )


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character's folded form (possibly empty, possibly several letters)."""
    folded = char
    for _ in range(_FOLD_ROUNDS):
        again = "".join(_fold_once(part) for part in folded)
        if again == folded:
            break
        folded = again
    return folded


def fold(text: str) -> str:
    """Case, compatibility, accents, invisibles and look-alikes folded away.

    This is the unambiguous part of the reading: digits and symbols are left
    as they are, since whether "1" means i, l or one depends on the word it
    sits in. Folding is idempotent.
    """
    return "".join(_fold_char(char) for char in text)


@dataclass(frozen=True)
class _Stream:
    """A text as positions the automaton steps through, each with its span."""

    readings: list[tuple[str, ...]]
    spans: list[tuple[int, int]]
    is_letter: list[bool]


def _end_of_masks(text: str, index: int) -> tuple[int, bool]:
    """Where the run of "*" at ``index`` ends, and whether a letter follows it."""
    end = index
    while end < len(text) and text[end] == _ANY:
        end += 1
    return end, end < len(text) and _fold_char(text[end])[:1].isalpha()


def _words(
    text: str, *, masks: bool
) -> tuple[list[list[tuple[str, int, int]]], list[tuple[int, int]]]:
    """The folded words of ``text`` and the separator span before each word.

    Each word is a list of (folded character, start, end) in the original
    text. The separator before the first word is reported as (0, 0): nothing
    before the first word can matter to a match. With ``masks``, a "*"
    between two letters stays inside the word.
    """
    words: list[list[tuple[str, int, int]]] = []
    gaps: list[tuple[int, int]] = []
    word: list[tuple[str, int, int]] | None = None
    gap: tuple[int, int] | None = None
    masks = masks and _ANY in text
    # The run of "*" being read, and whether a letter follows it: worked out
    # once per run, so that reading stays linear however many there are.
    masks_end, letter_after = 0, False
    for index, char in enumerate(text):
        if masks and char == _ANY and word and (word[-1][0].isalpha() or word[-1][0] == _ANY):
            if index >= masks_end:
                masks_end, letter_after = _end_of_masks(text, index)
            if letter_after:
                word.append((_ANY, index, index + 1))
                continue
        folded = _fold_char(char)
        if not folded:
            # A combining mark belongs to the letter before it: keep it inside
            # the span so that highlighting does not cut a letter in half.
            if word and word[-1][2] == index and unicodedata.category(char).startswith("M"):
                word[-1] = (word[-1][0], word[-1][1], index + 1)
            continue
        for part in folded:
            if part.isalnum() or part in _LEET_SYMBOLS:
                if word is None:
                    word = []
                    words.append(word)
                    gaps.append(gap or (0, 0))
                    gap = None
                word.append((part, index, index + 1))
            else:
                word = None
                gap = (index, index + 1) if gap is None else (gap[0], index + 1)
    return words, gaps


def _letter_count(word: list[tuple[str, int, int]]) -> int:
    """Letters and digits in a word; symbols count only when there is nothing else.

    Symbols beside a letter may be punctuation, so that the "t!" ending
    "i d i o t!" is still a one-letter word.
    """
    return sum(char.isalnum() for char, _, _ in word) or len(word)


def _stream(text: str, *, entry: bool) -> _Stream:
    """Read ``text`` into a stream; ``entry`` reads a moderator's list entry.

    Entries are read the same way except that their punctuation is never
    optional: a moderator who types "$hit" means "shit", not "hit", and one
    who types "a b c" means three words.
    """
    words, gaps = _words(text, masks=not entry)
    count = len(words)
    # A gap may be skipped when it sits between two one-letter words.
    letters = [_letter_count(word) for word in words]
    spelled = [k > 0 and not entry and letters[k - 1] == 1 == letters[k] for k in range(count)]
    # Words glued by spelling-out form one unit; a unit of digits is a number.
    numeric = [False] * count
    first = 0
    for k in range(1, count + 1):
        if k == count or not spelled[k]:
            is_number = all(char.isdigit() for w in words[first:k] for char, _, _ in w)
            numeric[first:k] = [is_number] * (k - first)
            first = k

    readings: list[tuple[str, ...]] = []
    spans: list[tuple[int, int]] = []
    is_letter: list[bool] = []
    for k, word in enumerate(words):
        if k:
            readings.append((_BOUNDARY, _SKIP) if spelled[k] else (_BOUNDARY,))
            spans.append(gaps[k])
            is_letter.append(False)
        for char, start, end in word:
            readings.append(_readings(char, numeric[k], entry))
            spans.append((start, end))
            is_letter.append(True)
    return _Stream(readings, spans, is_letter)


@dataclass(frozen=True)
class Reading:
    """A reader's text, read once into the stream that every list (banned,
    suspect, allowed) is then matched against: reading is most of the work."""

    text: str
    stream: _Stream = field(repr=False, compare=False)


def read(text: str) -> Reading:
    return Reading(text, _stream(text, entry=False))


@lru_cache(maxsize=8192)
def _readings(char: str, number: bool, entry: bool) -> tuple[str, ...]:
    """The ways one folded character of a word may be read."""
    if char == _ANY:
        return (_ANY,)
    if char in _LEET_SYMBOLS:
        return tuple(_LEET_SYMBOLS[char]) + (() if entry else (_BOUNDARY,))
    if number:
        return (char,)
    return (char, *_LEET_DIGITS.get(char, ""))


def _spellings(entry: str) -> list[str]:
    """Every reading of an entry, as plain strings to put in the trie."""
    spellings = [""]
    for readings in _stream(entry, entry=True).readings:
        if len(spellings) * len(readings) > _MAX_VARIANTS:
            readings = readings[:1]
        spellings = [spelling + reading for spelling in spellings for reading in readings]
    return [spelling for spelling in spellings if spelling]


def _automaton(
    entries: Iterable[str],
) -> tuple[list[str], list[dict[str, tuple[int, ...]]], list[str | None]]:
    """The kept entries, the move table and the entry each trie node completes.

    States are ``node * 4 + suffix``. Moves are worked out once here, so that
    matching a text is a dictionary look-up per live state and reading.
    """
    children: list[dict[str, int]] = [{}]
    last = [""]
    entry_at: list[str | None] = [None]
    kept: list[str] = []
    for raw in entries:
        entry = raw.strip()
        spellings = _spellings(entry)
        if not spellings or entry in kept:
            continue
        kept.append(entry)
        # "y" becomes "ie" before a plural's "s": "tranny", "trannies".
        spellings += [spelling[:-1] + "ie" for spelling in spellings if spelling[-1] == "y"]
        for spelling in spellings:
            node = 0
            for char in spelling:
                if char not in children[node]:
                    children[node][char] = len(children)
                    children.append({})
                    last.append(char)
                    entry_at.append(None)
                node = children[node][char]
            entry_at[node] = entry_at[node] or entry

    moves: list[dict[str, tuple[int, ...]]] = []
    for node, branches in enumerate(children):
        inside: dict[str, tuple[int, ...]] = {
            char: (child * 4 + _IN_ENTRY,) for char, child in branches.items()
        }
        if node:
            # Any letter may be repeated, including the space between words.
            inside[last[node]] = (*inside.get(last[node], ()), node * 4 + _IN_ENTRY)
        after_e: dict[str, tuple[int, ...]] = {}
        if entry_at[node] is not None:
            inside["s"] = (*inside.get("s", ()), node * 4 + _AFTER_S)
            inside["e"] = (*inside.get("e", ()), node * 4 + _AFTER_E)
            after_e["s"] = (node * 4 + _AFTER_ES,)
        for table in (inside, after_e):
            # A masking "*" takes every move a letter could.
            table[_ANY] = tuple(
                {
                    target: None
                    for char, targets in table.items()
                    if char != _BOUNDARY
                    for target in targets
                }
            )
        moves.extend([inside, {}, after_e, {}])
    return kept, moves, entry_at


@dataclass(frozen=True)
class WordMatcher:
    """A word list compiled to match text: build once per list version, then
    match many texts.

    Equality and hashing use the entries alone, so a list can key a cache.
    """

    entries: tuple[str, ...]
    _moves: tuple[Mapping[str, tuple[int, ...]], ...] = field(repr=False, compare=False)
    _entry_at: tuple[str | None, ...] = field(repr=False, compare=False)

    @classmethod
    def compile(cls, entries: Iterable[str]) -> WordMatcher:
        """Build one automaton for every reading of every entry.

        Entries that read as nothing (blank, or only punctuation and invisible
        characters) are ignored. When two entries read the same, the first one
        listed is the one reported.
        """
        kept, moves, entry_at = _automaton(entries)
        return cls(tuple(kept), tuple(moves), tuple(entry_at))

    def find(self, text: str | Reading) -> list[Match]:
        """Every entry in ``text``: leftmost first, longest on ties, none overlapping."""
        if not self.entries:
            return []
        stream = (read(text) if isinstance(text, str) else text).stream
        moves, entry_at = self._moves, self._entry_at
        readings, is_letter = stream.readings, stream.is_letter
        final = len(readings) - 1
        # Live states, each with the earliest position it started at: one per
        # state is enough, and is what keeps the work linear.
        states: dict[int, int] = {}
        found: list[tuple[int, int, str]] = []
        for position, options in enumerate(readings):
            at_start = position == 0 or _BOUNDARY in readings[position - 1]
            if is_letter[position] and at_start and 0 not in states:
                states[0] = position
            following: dict[int, int] = {}
            for state, began in states.items():
                for option in options:
                    targets = (state,) if option == _SKIP else moves[state].get(option, ())
                    for target in targets:
                        if began < following.get(target, position + 1):
                            following[target] = began
            states = following
            at_end = position == final or _BOUNDARY in readings[position + 1]
            if is_letter[position] and at_end:
                for state, began in states.items():
                    entry = entry_at[state // 4]
                    if entry is not None and state % 4 != _AFTER_E:
                        found.append((began, position, entry))
        return self._leftmost_longest(found, stream.spans)

    def first(self, text: str | Reading, *, spared: WordMatcher | None = None) -> Match | None:
        """The leftmost entry in ``text``, or None: all a refusing check needs.

        A match lying wholly inside one of ``spared``'s phrases does not count.
        Both lists' matches are ordered and do not overlap, so one pass over
        each decides.
        """
        reading = read(text) if isinstance(text, str) else text
        matches = self.find(reading)
        # Most texts match nothing: only then is the allowed list worth reading.
        allowed = spared.find(reading) if spared is not None and matches else []
        index = 0
        for match in matches:
            while index < len(allowed) and allowed[index].end < match.end:
                index += 1
            if index < len(allowed) and allowed[index].start <= match.start:
                continue
            return match
        return None

    @staticmethod
    def _leftmost_longest(
        found: list[tuple[int, int, str]], spans: list[tuple[int, int]]
    ) -> list[Match]:
        matches: list[Match] = []
        reached = -1
        for began, ended, entry in sorted(found, key=lambda hit: (hit[0], -hit[1])):
            if began > reached:
                matches.append(Match(entry, spans[began][0], spans[ended][1]))
                reached = ended
        return matches
