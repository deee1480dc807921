"""What must still hold, under the write lock, for a comment's early checks
to stand (discussion.services checks a comment before its write
transaction, so that other writers wait for the inserts alone)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from soundoff.lib.prepared_write import PreparedUpdate
from soundoff.moderation.models import PremoderatedReader, Sanction
from soundoff.moderation.pipeline import Submission

from .models import Comment, CommentStatus, Thread

# Stand-ins no other parameter of the statement can equal, each within
# the range of its column on every database (PostgreSQL's integers are 32
# bits, and a lookup past a column's range compiles to nothing at all).
_STAND_INS: dict[str, str | int | datetime] = {
    "thread_id": 918_273_641,
    "author_id": 918_273_642,
    "mode": "stand-in-mode",
    "slow_mode_seconds": 918_273_643,
    "close_after_hours": 918_273_644,
    "now": datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
    "since": datetime(2002, 3, 4, 5, 6, 7, 8, tzinfo=UTC),
    "newest_id": 918_273_645,
    "parent_id": 918_273_646,
    "count_delta": 918_273_647,
}


def count_if_unchanged(submission: Submission, *, count_delta: int) -> bool:
    """Count the comment on its thread (and bump the thread's version) if
    what the checks read still holds; False, changing nothing, if not.

    It filters the thread row the write updates anyway, so re-checking
    costs no statement of its own; the statement is compiled once per
    connection and shape (soundoff.lib.prepared_write). The races that
    checking before the transaction opens, and how each is closed:

    - the discussion was closed, pre-moderated or put in slow mode: its
      policy fields must be as the checks read them;
    - the author was suspended or banned: no sanction may be in force (the
      checks read who is sanctioned from this process's memory, so this is
      also what catches a change a process has not heard of);
    - the author was put on pre-moderation, when the checks found them not
      to be (read from memory too);
    - the author posted meanwhile (the same text twice at once, a second
      comment inside slow mode, or past a new account's first N): no
      comment of theirs newer than those the checks read;
    - the comment replied to was removed or deleted: it must still be shown.

    A changed word list or a new policy version is not a race: the comment
    is judged by the rules in force when it was checked, as if it had been
    posted a moment earlier. So is a post unpublished in that moment.
    """
    thread, author = submission.thread, submission.author
    shape = (
        thread.close_after_hours is None,
        submission.parent is not None,
        author.pk not in submission.restricted.premoderated,
    )
    update = _UPDATES.get(shape)
    if update is None:
        update = _UPDATES.setdefault(shape, _prepared(*shape))
    recent = submission.recent_comments
    values: dict[str, str | int | datetime] = {
        "thread_id": thread.pk,
        "author_id": author.pk,
        "mode": thread.mode,
        "slow_mode_seconds": thread.slow_mode_seconds,
        "now": timezone.now(),
        "since": recent.since,
        "newest_id": recent.newest_id,
        "count_delta": count_delta,
    }
    if thread.close_after_hours is not None:
        values["close_after_hours"] = thread.close_after_hours
    if submission.parent is not None:
        values["parent_id"] = submission.parent.pk
    return update.run(values) == 1


_UPDATES: dict[tuple[bool, bool, bool], PreparedUpdate] = {}


def _prepared(no_closing: bool, reply: bool, not_premoderated: bool) -> PreparedUpdate:
    """The update for one shape of submission."""
    unused = {"close_after_hours"} if no_closing else set()
    if not reply:
        unused.add("parent_id")
    stand_ins = {name: value for name, value in _STAND_INS.items() if name not in unused}
    return PreparedUpdate(_builder(no_closing, reply, not_premoderated), **stand_ins)


def _builder(no_closing: bool, reply: bool, not_premoderated: bool) -> Any:
    """What the update of one shape is built from: its stand-ins."""

    def build(
        *,
        thread_id: int,
        author_id: int,
        mode: str,
        slow_mode_seconds: int,
        now: datetime,
        since: datetime,
        newest_id: int,
        count_delta: int,
        close_after_hours: int | None = None,
        parent_id: int = 0,
    ) -> tuple[QuerySet[Thread], dict[str, Any]]:
        unchanged: list[Q | Exists] = [
            Q(
                mode=mode,
                slow_mode_seconds=slow_mode_seconds,
                close_after_hours=close_after_hours,
            ),
            ~Q(Exists(Sanction.objects.in_force(now=now).filter(user_id=author_id))),
            ~Q(
                Exists(
                    Comment.objects.filter(
                        author_id=author_id, created_at__gte=since, pk__gt=newest_id
                    )
                )
            ),
        ]
        if reply:
            shown = Comment.objects.filter(pk=parent_id, status=CommentStatus.VISIBLE)
            unchanged.append(Exists(shown))
        if not_premoderated:
            unchanged.append(~Q(Exists(PremoderatedReader.objects.filter(reader_id=author_id))))
        threads = Thread.objects.filter(*unchanged, pk=thread_id)
        return threads, threads.changes(count_delta)

    return build
