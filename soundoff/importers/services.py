"""Writing an import: comments with their history, then their places.

Imported comments are written directly, as the demo loader writes its
own, rather than through discussion.services.post_comment: they carry
historical times and states, were moderated where they came from, and must
not meet rate limits, the pipeline, live announcements or background
scoring meant for a reader posting now. What they share with live comments
is the sanitizer (the HTML is rendered by soundoff.lib.text here, since
bulk_create bypasses Comment.save), the licence ledger (the policy versions
in force at import time) and the thread's visible count and version.

Comments are written in batches as the file is read, top-level at first;
once the whole file is read, ``finish`` places each reply under its parent,
thread by thread, so memory follows the largest discussion, not the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Field, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from soundoff.accounts.models import PolicyKind
from soundoff.accounts.queries import current_policies
from soundoff.discussion.models import Comment, CommentStatus, Thread
from soundoff.discussion.nesting import TOP_LEVEL, Place, reply_place
from soundoff.lib.text import render_comment

from .conversion import clean_text
from .errors import ImportFailed, RecordSkipped
from .identities import Identities
from .models import ImportedKind, ImportedObject, PendingReply

BATCH = 500
# Also flush by size, so that a file of huge comments can't fill memory.
BATCH_CHARACTERS = 1_000_000
HELD_REASON = "import"


@dataclass
class ImportReport:
    """What an import did, for the summary printed at the end."""

    source: str
    posts: int = 0
    threads: int = 0
    comments: int = 0
    authors: int = 0
    reactions: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    orphans: int = 0
    cycles: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        head = "Dry run, nothing kept: would have imported" if self.dry_run else "Imported"
        lines = [
            f"{head} {counted(self.posts, 'post')}, {counted(self.threads, 'thread')}, "
            f"{counted(self.comments, 'comment')}, {counted(self.authors, 'new author')}"
            + (f", {counted(self.reactions, 'reaction')}." if self.reactions else ".")
        ]
        for title, counts in (
            ("Skipped, already imported", self.skipped),
            ("Ignored", self.ignored),
            ("Errors (records not imported)", self.errors),
        ):
            if counts:
                lines.append(f"{title}: {sum(counts.values())}")
                lines.extend(f"  {count:>8}  {reason}" for reason, count in counts.most_common())
        if self.orphans or self.cycles:
            lines.append(
                f"Repaired: {counted(self.orphans, 'reply', 'replies')} to missing comments "
                f"shown top-level, {counted(self.cycles, 'reply cycle')} broken."
            )
        return lines

    def progress_note(self) -> str:
        return f"{self.posts + self.threads} posts/threads, {self.comments} comments"


def counted(number: int, noun: str, plural: str = "") -> str:
    """ "1 comment", "2 comments": the report is for the operator's console,
    in English like Django's own command output."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


@dataclass(frozen=True)
class IncomingComment:
    thread_id: int
    source_id: str
    parent_source_id: str
    body: str
    status: CommentStatus
    created_at: datetime
    author_name: str
    author_email: str
    edited_at: datetime | None = None
    featured: bool = False


class ImportRun:
    """One file's import, inside the caller's transaction."""

    def __init__(self, source: str, *, strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self.report = ImportReport(source=source)
        self.identities = Identities(source)
        self.pending: list[IncomingComment] = []
        self.pending_characters = 0
        self.touched_threads: set[int] = set()
        policies = current_policies()
        if PolicyKind.TERMS not in policies or PolicyKind.PRIVACY not in policies:
            raise ImportFailed(
                "Publish the Terms of Service and the Privacy Policy before importing: "
                "every comment records the versions in force when it was written here."
            )
        self.terms = policies[PolicyKind.TERMS]
        self.privacy = policies[PolicyKind.PRIVACY]
        # Rows above this id were written by this run: finding one again
        # means the file repeats an id, not that an earlier run imported it.
        self.first_new_id = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    # Records that can fail one by one.

    def skip(self, error: RecordSkipped, *, count: int = 1) -> None:
        if self.strict:
            raise ImportFailed(f"{error.reason} (--strict: nothing was imported).")
        self.report.errors[error.reason] += count

    # Posts and threads.

    def imported(self, kind: ImportedKind, source_id: str) -> ImportedObject | None:
        return (
            ImportedObject.objects.filter(source=self.source, kind=kind, source_id=source_id)
            .select_related("thread", "post")
            .first()
        )

    def remember(
        self, kind: ImportedKind, source_id: str, *, thread: Thread, original_url: str = ""
    ) -> ImportedObject:
        return ImportedObject.objects.create(
            source=self.source,
            kind=kind,
            source_id=source_id,
            thread=thread,
            post_id=thread.post_id,
            original_url=original_url[:1000],
        )

    # Comments.

    def add_comment(self, incoming: IncomingComment) -> None:
        self.pending.append(incoming)
        self.pending_characters += len(incoming.body)
        if len(self.pending) >= BATCH or self.pending_characters >= BATCH_CHARACTERS:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        self.pending_characters = 0
        if not batch:
            return
        known = dict(
            Comment.objects.filter(
                source=self.source, source_id__in={item.source_id for item in batch}
            ).values_list("source_id", "pk")
        )
        rows: list[Comment] = []
        parents: list[str] = []
        for item in batch:
            if item.source_id in known:
                if known[item.source_id] >= self.first_new_id:
                    self.skip(RecordSkipped("comment id appears twice in the file"))
                else:
                    self.report.skipped["comments"] += 1
                continue
            known[item.source_id] = self.first_new_id  # a repeat later in this batch
            rows.append(self._comment_row(item))
            parents.append(item.parent_source_id[:64])
        Comment.objects.bulk_create(rows, batch_size=BATCH)
        PendingReply.objects.bulk_create(
            [
                PendingReply(comment_id=row.pk, thread_id=row.thread_id, parent_source_id=parent)
                for row, parent in zip(rows, parents, strict=True)
                if parent
            ],
            batch_size=BATCH,
        )
        self.touched_threads.update(row.thread_id for row in rows)
        self.report.comments += len(rows)

    def _comment_row(self, item: IncomingComment) -> Comment:
        body = clean_text(item.body)
        return Comment(
            thread_id=item.thread_id,
            author_id=self.identities.author_id(name=item.author_name, email=item.author_email),
            body=body,
            body_html=render_comment(body),
            status=item.status,
            held_reason=HELD_REASON if item.status == CommentStatus.HELD else "",
            created_at=item.created_at,
            edited_at=item.edited_at,
            featured=item.featured,
            terms_version=self.terms,
            privacy_version=self.privacy,
            source=self.source,
            source_id=item.source_id,
        )

    # The end: places, counts, versions.

    def finish(self) -> ImportReport:
        self.flush()
        for thread_id in sorted(self.touched_threads):
            self._place_replies(thread_id)
        PendingReply.objects.filter(thread_id__in=self.touched_threads).delete()
        self._recount(sorted(self.touched_threads))
        self.report.authors = self.identities.created
        return self.report

    def _place_replies(self, thread_id: int) -> None:
        """Attach each new reply of one thread under its parent.

        A reply whose parent is missing (never exported, or failed) is
        shown top-level. Parent links that loop are broken at the loop's
        oldest comment, which becomes top-level. Nesting follows the live
        rule (discussion.nesting.reply_place): below the deepest level a
        reply joins its parent's siblings.
        """
        wanted = dict(
            PendingReply.objects.filter(thread_id=thread_id).values_list(
                "comment_id", "parent_source_id"
            )
        )
        if not wanted:
            return
        by_source: dict[str, int] = {}
        placed: dict[int, Place] = {}
        order: dict[int, tuple[datetime, int]] = {}
        rows = Comment.objects.filter(thread_id=thread_id, source=self.source).values_list(
            "pk", "source_id", "parent_id", "root_id", "depth", "created_at"
        )
        for pk, source_id, parent_id, root_id, depth, created_at in rows.iterator(2000):
            by_source[source_id] = pk
            order[pk] = (created_at, pk)
            if pk not in wanted:
                placed[pk] = Place(parent_id, root_id, depth)
        parent_of: dict[int, int | None] = {}
        for pk, parent_source_id in wanted.items():
            parent = by_source.get(parent_source_id)
            if parent == pk:
                self.report.cycles += 1
                parent = None
            elif parent is None:
                self.report.orphans += 1
            parent_of[pk] = parent
        self._break_cycles(parent_of, order)
        for pk in sorted(wanted, key=order.__getitem__):
            self._place(pk, parent_of, placed)
        _save_places(
            (placed[pk].parent_id, placed[pk].root_id, placed[pk].depth, pk)
            for pk in wanted
            if placed[pk] != TOP_LEVEL
        )

    def _break_cycles(
        self, parent_of: dict[int, int | None], order: dict[int, tuple[datetime, int]]
    ) -> None:
        done: set[int] = set()
        for start in sorted(parent_of, key=order.__getitem__):
            path: list[int] = []
            on_path: set[int] = set()
            node: int | None = start
            while node is not None and node in parent_of and node not in done:
                if node in on_path:
                    loop = path[path.index(node) :]
                    oldest = min(loop, key=order.__getitem__)
                    parent_of[oldest] = None
                    self.report.cycles += 1
                    break
                path.append(node)
                on_path.add(node)
                node = parent_of[node]
            done.update(path)

    def _place(self, pk: int, parent_of: dict[int, int | None], placed: dict[int, Place]) -> None:
        """Place ``pk`` after its ancestors, without recursion (chains of
        replies can be thousands long)."""
        chain = []
        node: int | None = pk
        while node is not None and node not in placed:
            chain.append(node)
            node = parent_of.get(node)
        for node in reversed(chain):
            parent = parent_of.get(node)
            placed[node] = TOP_LEVEL if parent is None else reply_place(parent, placed[parent])

    def _recount(self, thread_ids: list[int]) -> None:
        """Keep each thread's visible count true and bump its version, so
        cached pages of it are rebuilt."""
        visible = (
            Comment.objects.filter(thread=OuterRef("pk"), status=CommentStatus.VISIBLE)
            .order_by()
            .values("thread")
            .annotate(n=Count("pk"))
            .values("n")
        )
        for start in range(0, len(thread_ids), BATCH):
            Thread.objects.filter(pk__in=thread_ids[start : start + BATCH]).update(
                comment_count=Coalesce(Subquery(visible, output_field=IntegerField()), 0)
            )
            Thread.objects.filter(pk__in=thread_ids[start : start + BATCH]).changed()


def _save_places(rows: Iterable[tuple[int | None, int | None, int, int]]) -> None:
    """Write (parent, root, depth) of many comments, by id.

    One prepared UPDATE run for every row: QuerySet.bulk_update builds a
    CASE expression per column and row, which costs more in Python than
    the database spends on the writes.
    """
    meta = Comment._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    parent, root, depth, pk = (
        quote(str(cast("Field[Any, Any]", meta.get_field(name)).column))
        for name in ("parent", "root", "depth", "id")
    )
    # Identifiers come from the model's own metadata, quoted; values are parameters.
    sql = (
        f"UPDATE {table} SET {parent} = %s, {root} = %s, {depth} = %s "  # noqa: S608
        f"WHERE {pk} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))
