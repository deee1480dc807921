"""Importing Soundoff's own JSON Lines export (export --format jsonl).

The lossless way to move a site: posts, external-page discussions with
their settings, comments with states, edits and features, and reactions.
Readers arrive as unclaimed identities like any imported author (their
passwords were never exported), keyed by e-mail when the export has them.
Records must come in the order the export writes them (users, posts,
threads, comments, reactions), and the closing "end" line must count them
all: a file cut short anywhere is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from soundoff.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionMode,
    Reaction,
    ReactionKind,
    Thread,
)
from soundoff.discussion.services import open_page_thread
from soundoff.lib.urls import InvalidPageURL, normalize_page_url
from soundoff.newsroom.models import Category, Post, PostStatus
from soundoff.newsroom.services import save_post

from .conversion import clean_text, html_to_text
from .errors import ImportFailed, RecordSkipped
from .export import FORMAT, VERSION
from .models import ImportedKind
from .reading import ByteSource, CountingReader, Progress
from .runner import import_in_one_transaction
from .services import BATCH, ImportReport, ImportRun, IncomingComment

SOURCE = "soundoff"
MAX_LINE = 16 * 1024 * 1024


def import_jsonl(
    path: Path, *, progress: Progress | None = None, strict: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import one JSON Lines export, entirely or not at all (ImportFailed)."""

    def read_all(counter: CountingReader, stream: ByteSource) -> ImportReport:
        importer = _JsonlImport(strict=strict)
        importer.read(_lines(stream), counter, progress)
        return importer.finish()

    return import_in_one_transaction(path, read_all, progress=progress, dry_run=dry_run)


def _lines(stream: Any) -> Iterator[bytes]:
    """Lines of a binary stream, refusing absurdly long ones."""
    rest = b""
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        rest += chunk
        *lines, rest = rest.split(b"\n")
        yield from lines
        if len(rest) > MAX_LINE:
            raise ImportFailed(
                f"A line is longer than {MAX_LINE // 1_000_000} MB; this is not "
                "a Soundoff export. Nothing was imported."
            )
    if rest.strip():
        yield rest


class _ThreadPolicy(TypedDict):
    """A discussion's settings as the export carries them."""

    mode: DiscussionMode
    slow_mode_seconds: int
    close_after_hours: int | None


class _JsonlImport:
    def __init__(self, *, strict: bool) -> None:
        self.run = ImportRun(SOURCE, strict=strict)
        self.users: dict[int, tuple[str, str]] = {}
        self.posts: dict[int, int] = {}
        self.threads: dict[int, int] = {}
        self.reactions: list[dict[str, Any]] = []
        self.records = 0
        self.ended = False

    def read(
        self, lines: Iterator[bytes], counter: CountingReader, progress: Progress | None
    ) -> None:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, ValueError):
                raise ImportFailed(
                    f"Line {number} is not valid JSON; the file may be truncated or damaged. "
                    "Nothing was imported."
                ) from None
            if not isinstance(record, dict):
                raise ImportFailed(f"Line {number} is not a JSON object. Nothing was imported.")
            self.line(number, record)
            if progress is not None:
                progress.update(counter.bytes_read, note=self.run.report.progress_note())

    def line(self, number: int, record: dict[str, Any]) -> None:
        kind = record.get("type")
        if number == 1 and (
            kind != "export" or record.get("format") != FORMAT or record.get("version") != VERSION
        ):
            raise ImportFailed(
                f"This is not a Soundoff JSON Lines export (version {VERSION}): its first line "
                "should be its header. Nothing was imported."
            )
        if kind == "export":
            return
        if self.ended:
            raise ImportFailed(
                f"Line {number} follows the end of the export. Nothing was imported."
            )
        if kind == "end":
            self.ended = True
            if record.get("records") != self.records:
                raise ImportFailed(
                    f"The export says it holds {record.get('records')} records but "
                    f"{self.records} were read. Nothing was imported."
                )
            return
        self.records += 1
        handler = {
            "user": self.user,
            "post": self.post,
            "thread": self.thread,
            "comment": self.comment,
            "reaction": self.reaction,
        }.get(str(kind))
        try:
            if handler is None:
                raise RecordSkipped(f"records of unknown type {str(kind)[:40]!r}")
            handler(record)
        except (KeyError, TypeError, ValueError):
            self.run.skip(RecordSkipped(f"{kind} records with missing or malformed fields"))
        except RecordSkipped as error:
            self.run.skip(error)

    def user(self, record: dict[str, Any]) -> None:
        self.users[int(record["id"])] = (
            str(record["display_name"]),
            str(record.get("email") or ""),
        )

    def _imported_before(
        self, kind: ImportedKind, source_id: str, *, skipped: str, into: dict[int, int]
    ) -> bool:
        """Whether an earlier run imported this post or thread; if so, count it
        skipped and map its export id to the thread it became."""
        existing = self.run.imported(kind, source_id)
        if existing is None:
            return False
        self.run.report.skipped[skipped] += 1
        into[int(source_id)] = existing.thread_id
        return True

    def post(self, record: dict[str, Any]) -> None:
        source_id = str(int(record["id"]))
        if self._imported_before(ImportedKind.POST, source_id, skipped="posts", into=self.posts):
            return
        status = PostStatus(record["status"])
        slug = slugify(str(record["slug"]))[:190] or f"post-{source_id}"
        base, number = slug, 2
        while Post.objects.filter(slug=slug).exists():
            slug = f"{base}-{number}"
            number += 1
        post = Post(
            headline=html_to_text(str(record["headline"]), max_length=200) or "Untitled",
            slug=slug,
            byline=clean_text(str(record.get("byline") or ""))[:200],
            body=clean_text(str(record["body"])),
            status=status,
            published_at=_time(record.get("published_at")),
            category=_category(record.get("category")),
        )
        save_post(post)
        thread = Thread.objects.get(post=post)
        self.run.remember(ImportedKind.POST, source_id, thread=thread)
        self.posts[int(record["id"])] = thread.pk
        self.run.report.posts += 1

    def thread(self, record: dict[str, Any]) -> None:
        source_id = str(int(record["id"]))
        if self._imported_before(
            ImportedKind.THREAD, source_id, skipped="threads", into=self.threads
        ):
            return
        policy: _ThreadPolicy = {
            "mode": DiscussionMode(record.get("mode") or DiscussionMode.OPEN),
            "slow_mode_seconds": max(0, int(record.get("slow_mode_seconds") or 0)),
            "close_after_hours": _optional_int(record.get("close_after_hours")),
        }
        if record.get("post") is not None:
            thread_pk = self.posts.get(int(record["post"]))
            if thread_pk is None:
                raise RecordSkipped("discussions of posts missing from the file")
            Thread.objects.filter(pk=thread_pk).update(**policy)
            thread = Thread.objects.get(pk=thread_pk)
        else:
            try:
                page_url = normalize_page_url(clean_text(str(record["page_url"] or "")))
            except InvalidPageURL:
                raise RecordSkipped("page discussions without an http(s) address") from None
            if len(page_url) > 1000:
                raise RecordSkipped("page discussions without an http(s) address")
            thread = open_page_thread(
                page_url,
                title=html_to_text(str(record.get("title") or ""), max_length=300),
                **policy,
            )
        self.run.remember(
            ImportedKind.THREAD, source_id, thread=thread, original_url=thread.page_url or ""
        )
        self.threads[int(record["id"])] = thread.pk
        self.run.report.threads += 1

    def comment(self, record: dict[str, Any]) -> None:
        thread_id = self.threads.get(int(record["thread"]))
        if thread_id is None:
            raise RecordSkipped("comments on discussions missing from the file")
        name, email = self.users.get(int(record["author"]), ("", ""))
        created_at = _time(record["created_at"])
        if created_at is None:
            raise RecordSkipped("comments without a time")
        self.run.add_comment(
            IncomingComment(
                thread_id=thread_id,
                source_id=str(int(record["id"])),
                parent_source_id=str(int(record["parent"])) if record.get("parent") else "",
                body=clean_text(str(record["body"])),
                status=CommentStatus(record["status"]),
                created_at=created_at,
                author_name=name,
                author_email=email,
                edited_at=_time(record.get("edited_at")),
                featured=bool(record.get("featured")),
            )
        )

    def reaction(self, record: dict[str, Any]) -> None:
        ReactionKind(record["kind"])
        int(record["comment"])
        int(record["user"])
        self.reactions.append(record)
        if len(self.reactions) >= BATCH:
            self.write_reactions()

    def write_reactions(self) -> None:
        self.run.flush()
        batch, self.reactions = self.reactions, []
        comments = dict(
            Comment.objects.filter(
                source=SOURCE, source_id__in={str(int(r["comment"])) for r in batch}
            ).values_list("source_id", "pk")
        )
        rows = []
        for record in batch:
            comment = comments.get(str(int(record["comment"])))
            if comment is None:
                self.run.skip(RecordSkipped("reactions to comments missing from the file"))
                continue
            name, email = self.users.get(int(record["user"]), ("", ""))
            user = self.run.identities.author_id(name=name, email=email)
            rows.append(
                Reaction(
                    comment_id=comment,
                    user_id=user,
                    kind=record["kind"],
                    created_at=_time(record.get("created_at")) or datetime.now(UTC),
                )
            )
        existing = set(
            Reaction.objects.filter(comment_id__in={row.comment_id for row in rows}).values_list(
                "comment_id", "user_id", "kind"
            )
        )
        new = [row for row in rows if (row.comment_id, row.user_id, row.kind) not in existing]
        if len(rows) > len(new):
            self.run.report.skipped["reactions"] += len(rows) - len(new)
        Reaction.objects.bulk_create(new, ignore_conflicts=True)
        self.run.report.reactions += len(new)
        counted = (
            Reaction.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Comment.objects.filter(pk__in={row.comment_id for row in rows}).update(
            reaction_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
        )

    def finish(self) -> ImportReport:
        if not self.ended:
            raise ImportFailed(
                "The export has no closing “end” line: it was cut short. Nothing was imported."
            )
        self.write_reactions()
        return self.run.finish()


def _time(raw: Any) -> datetime | None:
    if not raw:
        return None
    moment = datetime.fromisoformat(str(raw))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _optional_int(raw: Any) -> int | None:
    return None if raw is None else max(0, int(raw))


def _category(raw: Any) -> Category | None:
    if not isinstance(raw, dict) or not raw.get("slug") or not raw.get("name"):
        return None
    found = Category.objects.filter(slug=str(raw["slug"])[:80]).first()
    if found is None and not Category.objects.filter(name=str(raw["name"])[:80]).exists():
        found = Category.objects.create(slug=str(raw["slug"])[:80], name=str(raw["name"])[:80])
    return found
