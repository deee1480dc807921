"""Importing a Disqus export (Admin → Moderation → Export: an .xml.gz file).

The file lists <category>, then every <thread> (a page: its link and
title), then every <post> (a comment: its thread, parent, HTML message,
time, author and state). A thread becomes the discussion of the post whose
address it names — found by the post's old address from a WordPress
import, or by its path here — or else the discussion of that external
page, whatever its origin: an import is the operator's own act.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Unpack
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from django.urls import Resolver404, resolve

from soundoff.discussion.models import CommentStatus, DiscussionMode, Thread
from soundoff.discussion.services import open_page_thread
from soundoff.lib.urls import InvalidPageURL, normalize_page_url
from soundoff.newsroom.models import Post

from .conversion import html_to_source, html_to_text
from .errors import RecordSkipped
from .identities import BoundedCache
from .models import ImportedKind, ImportedObject
from .reading import attribute, child_text, local_name
from .runner import ImportOptions, XmlRecords, read_export
from .services import ImportReport, ImportRun, IncomingComment

SOURCE = "disqus"
MAX_ID = 64
DISQUS_RECORDS = XmlRecords(root="disqus", record_depth=2, describe="a Disqus export")


def import_disqus(path: Path, **options: Unpack[ImportOptions]) -> ImportReport:
    """Import one Disqus export, entirely or not at all (ImportFailed)."""
    return read_export(path, _DisqusImport, DISQUS_RECORDS, **options)


class _DisqusImport:
    def __init__(self, *, strict: bool) -> None:
        self.run = ImportRun(SOURCE, strict=strict)
        self.threads: BoundedCache[str, int] = BoundedCache()

    def element(self, record: Element, element: Element) -> None:
        if element is record:
            self.record(element)

    def record(self, element: Element) -> None:
        kind = local_name(element.tag)
        try:
            if kind == "thread":
                self.thread(element)
            elif kind == "post":
                self.post(element)
        except RecordSkipped as error:
            self.run.skip(error)

    def thread(self, element: Element) -> None:
        source_id = _dsq_id(element, "thread")
        if self.run.imported(ImportedKind.THREAD, source_id) is not None:
            self.run.report.skipped["threads"] += 1
            return
        try:
            page_url = normalize_page_url(child_text(element, "link"))
        except InvalidPageURL:
            raise RecordSkipped("thread without an http(s) link") from None
        if len(page_url) > 1000:
            raise RecordSkipped("thread without an http(s) link")
        thread = _post_thread(page_url) or open_page_thread(
            page_url,
            title=html_to_text(child_text(element, "title"), max_length=300),
            mode=DiscussionMode.CLOSED
            if child_text(element, "isClosed") == "true"
            else DiscussionMode.OPEN,
        )
        self.run.remember(ImportedKind.THREAD, source_id, thread=thread, original_url=page_url)
        self.threads.put(source_id, thread.pk)
        self.run.report.threads += 1

    def post(self, element: Element) -> None:
        source_id = _dsq_id(element, "comment")
        thread_id = self._thread_id(element)
        deleted = child_text(element, "isDeleted") == "true"
        spam = child_text(element, "isSpam") == "true"
        status = (
            CommentStatus.DELETED
            if deleted
            else CommentStatus.REMOVED
            if spam
            else CommentStatus.VISIBLE
        )
        body = html_to_source(child_text(element, "message", strip=False))
        if not body and status == CommentStatus.VISIBLE:
            raise RecordSkipped("comment without text")
        parent = _child(element, "parent")
        author = _child(element, "author")
        self.run.add_comment(
            IncomingComment(
                thread_id=thread_id,
                source_id=source_id,
                parent_source_id=attribute(parent, "id")[:MAX_ID] if parent is not None else "",
                body=body,
                status=status,
                created_at=_timestamp(child_text(element, "createdAt")),
                author_name=child_text(author, "name") if author is not None else "",
                author_email=child_text(author, "email") if author is not None else "",
            )
        )

    def _thread_id(self, element: Element) -> int:
        reference = _child(element, "thread")
        source_id = attribute(reference, "id") if reference is not None else ""
        if not source_id:
            raise RecordSkipped("comment without a thread")
        found = self.threads.get(source_id)
        if found is None:
            imported = self.run.imported(ImportedKind.THREAD, source_id)
            if imported is None:
                raise RecordSkipped("comment on a thread missing from the file")
            found = imported.thread_id
            self.threads.put(source_id, found)
        return found


def _post_thread(page_url: str) -> Thread | None:
    """The discussion of our post at that address: one a WordPress import
    brought from there, or one whose path here is the link's path."""
    imported = (
        ImportedObject.objects.filter(original_url=page_url, post__isnull=False)
        .select_related("thread")
        .first()
    )
    if imported is not None:
        return imported.thread
    try:
        match = resolve(urlsplit(page_url).path or "/")
    except Resolver404:
        return None
    if match.view_name != "newsroom:post":
        return None
    post = Post.objects.filter(slug=match.kwargs.get("slug", "")).first()
    if post is None:
        return None
    thread, _created = Thread.objects.get_or_create(post=post)
    return thread


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def _dsq_id(element: Element, what: str) -> str:
    source_id = attribute(element, "id")
    if not source_id or len(source_id) > MAX_ID:
        raise RecordSkipped(f"{what} without a usable dsq:id")
    return source_id


def _timestamp(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise RecordSkipped("comment with an unreadable date") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
