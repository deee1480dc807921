"""What the pipeline's phases see and what they answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from soundoff.lib.text import comment_visible_text

from ..wordlists import CompiledList, compiled_lists

if TYPE_CHECKING:
    from soundoff.accounts.models import User
    from soundoff.discussion.models import Comment, Thread
    from soundoff.lib.client import ClientInfo


@dataclass(frozen=True, kw_only=True)
class Submission:
    """A new or edited comment, before anything is written."""

    thread: Thread
    author: User
    body: str
    client: ClientInfo
    parent: Comment | None = None
    editing: Comment | None = None

    @cached_property
    def word_lists(self) -> dict[str, CompiledList]:
        """The banned and suspect lists, read once for all the phases."""
        return compiled_lists()

    @cached_property
    def readings(self) -> tuple[str, str]:
        """The source as typed and the text readers will see: word checks read both."""
        return (self.body, comment_visible_text(self.body))


class Outcome(StrEnum):
    VISIBLE = "visible"
    HELD = "held"
    REFUSED = "refused"


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """One phase's answer. ``outcome`` None means "no objection"; flags
    accumulate whatever the outcome."""

    outcome: Outcome | None = None
    reason: str = ""
    detail: str = ""
    retry_after: int | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """The pipeline's decision: the first phase's outcome, all flags."""

    outcome: Outcome
    reason: str = ""
    detail: str = ""
    retry_after: int | None = None
    flags: tuple[str, ...] = field(default=())
