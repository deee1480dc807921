"""The banned, suspect and allowed word lists, compiled once per version.

Every comment reads them; each process keeps them compiled until their
version moves (soundoff.lib.versioned), which every save or delete of a
list does (ModerationConfig.ready connects it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from soundoff.lib.versioned import Loaded, Versioned
from soundoff.lib.wordmatch import Match, Reading, WordMatcher

from .models import WordList, WordListKind


@dataclass(frozen=True)
class CompiledList:
    matcher: WordMatcher
    rule_number: int | None


def compiled_lists() -> Mapping[str, CompiledList]:
    """Every list, compiled; read from the database only after a change."""
    return word_lists.get()


def _read_lists() -> Loaded[Mapping[str, CompiledList]]:
    rows = WordList.objects.values_list("kind", "version", "words", "rule_number")
    lists = {kind: _compile(kind, version, words, rule) for kind, version, words, rule in rows}
    empty = CompiledList(WordMatcher.compile([]), None)
    return Loaded(MappingProxyType({kind: lists.get(kind, empty) for kind in WordListKind.values}))


word_lists = Versioned("word-lists", _read_lists)


def first_listed(
    lists: Mapping[str, CompiledList], kind: str, texts: Iterable[Reading]
) -> tuple[str, Match] | None:
    """The first entry of list ``kind`` in any of ``texts``, and the text it is in.

    A match inside one of the allowed phrases does not count.
    """
    spared = lists[WordListKind.ALLOWED].matcher
    for text in texts:
        match = lists[kind].matcher.first(text, spared=spared)
        if match is not None:
            return text.text, match
    return None


@lru_cache(maxsize=8)
def _compile(kind: str, version: int, words: str, rule_number: int | None) -> CompiledList:
    return CompiledList(WordMatcher.compile(words.splitlines()), rule_number)
