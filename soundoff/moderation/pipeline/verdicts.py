"""What the pipeline's phases see and what they answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from soundoff.discussion.models import Comment
from soundoff.lib.prepared import PreparedRead
from soundoff.lib.text import comment_visible_text
from soundoff.lib.wordmatch import Reading, read

from ..queries import Restricted, restricted_readers
from ..scoring import Score, score_comment_text
from ..scoring_plan import inline_scorers
from ..wordlists import CompiledList, compiled_lists

if TYPE_CHECKING:
    from soundoff.accounts.models import User
    from soundoff.discussion.models import Thread
    from soundoff.lib.client import ClientInfo


@dataclass(frozen=True)
class RecentComments:
    """The author's comments since ``since`` (SOUNDOFF_REPEAT_WINDOW ago),
    newest first, as ``(id, body)``: the repeat check reads their text, and
    the write checks that none was added after ``newest_id`` before it
    commits (discussion.services)."""

    since: datetime
    rows: tuple[tuple[int, str], ...]

    @property
    def newest_id(self) -> int:
        # The highest id, whatever the times: two writers can take their
        # times in one order and their ids in the other.
        return max((pk for pk, _ in self.rows), default=0)


# Every new comment reads them, so the SQL is written once (soundoff.lib.prepared).
_RECENT = PreparedRead(
    lambda author_id, since: (
        Comment.objects.filter(author_id=author_id, created_at__gte=since)
        # In the order of discussion_by_author, so that it is read as a
        # range of it, not by walking the ids back from the newest.
        .order_by("-created_at", "-pk")
        .values_list("pk", "body")[:200]
    ),
    author_id=918_273_645,
    since=datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
)


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
    def word_lists(self) -> Mapping[str, CompiledList]:
        """The banned and suspect lists, read once for all the phases."""
        return compiled_lists()

    @cached_property
    def recent_comments(self) -> RecentComments:
        """The author's comments within the repeat window: few, because of the rate limits."""
        since = timezone.now() - timedelta(seconds=settings.SOUNDOFF_REPEAT_WINDOW)
        rows = _RECENT.all(author_id=self.author.pk, since=since)
        return RecentComments(since, tuple((pk, body) for pk, body in rows))

    @cached_property
    def restricted(self) -> Restricted:
        """Who is sanctioned or pre-moderated, as this process keeps it (one
        cache get): a new comment's write checks again under its lock."""
        return restricted_readers.get()

    @cached_property
    def inline_scores(self) -> tuple[Score, ...]:
        """The cheap on-device scores, taken once: the scores phase judges
        them and the write stores them (moderation.scoring_plan)."""
        return tuple(score_comment_text(self.body, scorers=inline_scorers()))

    @cached_property
    def readings(self) -> tuple[Reading, ...]:
        """The source as typed and the text readers will see: word checks
        read both, each read once for every list. When the two differ only
        in their spacing (plain text, with no Markdown or entity), they read
        the same and the source alone is read: any run of spaces and line
        breaks is one word boundary to the word lists."""
        visible = comment_visible_text(self.body)
        if visible.split() == self.body.split():
            return (read(self.body),)
        return (read(self.body), read(visible))


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
