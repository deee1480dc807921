"""The banned and suspect word lists, compiled once per version."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from soundoff.lib.wordmatch import WordList as Matcher

from .models import WordList, WordListKind


@dataclass(frozen=True)
class CompiledList:
    matcher: Matcher
    rule_number: int | None


def compiled_lists() -> dict[str, CompiledList]:
    """Both lists; one small query, and compilation only when a list changed."""
    rows = WordList.objects.values_list("kind", "version", "words", "rule_number")
    lists = {kind: _compile(kind, version, words, rule) for kind, version, words, rule in rows}
    empty = CompiledList(Matcher.compile([]), None)
    return {kind: lists.get(kind, empty) for kind in WordListKind.values}


@lru_cache(maxsize=8)
def _compile(kind: str, version: int, words: str, rule_number: int | None) -> CompiledList:
    return CompiledList(Matcher.compile(words.splitlines()), rule_number)
