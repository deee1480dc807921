"""What every scorer shares: the score it gives, the interface it offers,
and loading its model once. The scorer modules import it, and the package
imports them (lazily, for the web workers' memory), so nothing here imports
back.
"""

from __future__ import annotations

import functools
import importlib.metadata
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

ScoreKind = Literal["toxicity", "spam", "offensive", "threat", "doxxing", "identity_hate"]


@dataclass(frozen=True)
class Score:
    """One model's opinion of one text: ``value`` is a probability in [0, 1].

    ``model`` and ``version`` say which model produced it, so that a stored
    score can be traced: for a packaged model, its PyPI distribution and
    installed version; for Soundoff's own, its name and Soundoff's version
    with the model file's hash.
    """

    kind: ScoreKind
    value: float
    model: str
    version: str


class Scorer(Protocol):
    @property
    def name(self) -> str:
        """The model: the PyPI distribution that ships it, or one of Soundoff's own."""
        ...

    @property
    def version(self) -> str:
        """The model's version; reading it raises if the model cannot be used here."""
        ...

    def score(self, text: str) -> Score: ...


def load_once[T](loader: Callable[[], T]) -> Callable[[], T]:
    """Wrap ``loader`` so that it runs once per process, however many threads ask.

    ``functools.cache`` alone lets two threads that miss at the same moment
    both run the loader; the lock makes the second one wait for the first.
    A loader that raises is not cached, so the next call tries again.
    """
    cached = functools.cache(loader)
    lock = threading.Lock()

    @functools.wraps(loader)
    def get() -> T:
        with lock:
            return cached()

    return get


@functools.cache
def distribution_version(distribution: str) -> str:
    """The installed version of ``distribution``; raises if it is not installed.

    Cached: importlib.metadata walks sys.path on every call.
    """
    return importlib.metadata.version(distribution)
