"""Importing a WordPress export (WXR: Tools → Export → All content).

Each <item> of type "post" becomes a Post with its slug, dates, status,
category and body, and its <wp:comment>s become comments. Comments are
handled as each one ends in the stream, so a post with a hundred thousand
comments is never held whole in memory; WordPress writes a post's own
fields before its comments, which is what makes that possible.

Soundoff's own WXR export (export --format wxr) adds what WXR can't carry:
the Markdown source of posts and comments as post and comment meta
(``soundoff_source``), and discussions of external pages as items of type
``soundoff_page``. Meta sources are still only ever rendered through the
sanitizer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Unpack
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from django.utils.text import slugify

from soundoff.discussion.models import CommentStatus, DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.lib.urls import InvalidPageURL, normalize_page_url
from soundoff.newsroom.models import Category, Post, PostStatus
from soundoff.newsroom.services import save_post

from .conversion import clean_text, html_to_source, html_to_text
from .errors import RecordSkipped
from .models import ImportedKind
from .reading import child_text, local_name, namespace
from .runner import ImportOptions, XmlRecords, read_export
from .services import ImportReport, ImportRun, IncomingComment

SOURCE = "wordpress"
PAGE_TYPE = "soundoff_page"
POST_STATUSES = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.DRAFT,
    "private": PostStatus.DRAFT,
}
COMMENT_STATUSES = {
    "1": CommentStatus.VISIBLE,
    "0": CommentStatus.HELD,
    "spam": CommentStatus.REMOVED,
    "trash": CommentStatus.DELETED,
}
ZERO_DATE = "0000-00-00 00:00:00"
MAX_AUTHORS = 10_000
WORDPRESS_RECORDS = XmlRecords(root="rss", record_depth=3, describe="a WordPress (WXR) export")


def import_wordpress(path: Path, **options: Unpack[ImportOptions]) -> ImportReport:
    """Import one WXR file, entirely or not at all (ImportFailed)."""
    return read_export(path, _WordPressImport, WORDPRESS_RECORDS, **options)


@dataclass
class _Item:
    """The post being read; resolved to a thread at its first comment."""

    element: Element
    resolved: bool = False
    thread_id: int | None = None
    skip_reason: str = ""
    meta: dict[str, str] = field(default_factory=dict)


class _WordPressImport:
    def __init__(self, *, strict: bool) -> None:
        self.run = ImportRun(SOURCE, strict=strict)
        self.site_key = _site_key("")
        self.authors: dict[str, str] = {}
        self.item: _Item | None = None

    def element(self, record: Element, element: Element) -> None:
        name = local_name(element.tag)
        if element is record:
            if name == "item":
                self.end_item(element)
            elif name in ("base_blog_url", "base_site_url") and element.text:
                self.site_key = _site_key(element.text.strip())
            elif name == "author" and len(self.authors) < MAX_AUTHORS:
                login = child_text(element, "author_login")
                self.authors[login] = child_text(element, "author_display_name") or login
            return
        if local_name(record.tag) != "item":
            return
        if self.item is None or self.item.element is not record:
            self.item = _Item(element=record)
        if name == "comment" and namespace(element.tag).startswith("http://wordpress.org/"):
            self.comment(self.item, element)
            record.remove(element)
        elif name == "postmeta":
            key = child_text(element, "meta_key")
            if key.startswith("soundoff_"):
                self.item.meta[key] = child_text(element, "meta_value", strip=False)

    def end_item(self, element: Element) -> None:
        item = self.item if self.item is not None and self.item.element is element else None
        item = item or _Item(element=element)
        self.resolve(item)
        self.item = None

    def resolve(self, item: _Item) -> None:
        if item.resolved:
            return
        item.resolved = True
        try:
            item.thread_id = self.thread_of(item)
        except RecordSkipped as error:
            item.skip_reason = error.reason
            self.run.skip(error)

    def thread_of(self, item: _Item) -> int | None:
        element = item.element
        post_type = child_text(element, "post_type") or "post"
        if post_type == PAGE_TYPE:
            return self.page_thread(item)
        if post_type != "post":
            self.run.report.ignored[f"items of type {post_type[:40]}"] += 1
            return None
        wp_status = child_text(element, "status")
        if wp_status not in POST_STATUSES:
            self.run.report.ignored[f"posts with status {wp_status[:40] or 'none'}"] += 1
            return None
        key = self.post_key(element)
        existing = self.run.imported(ImportedKind.POST, key)
        if existing is not None:
            self.run.report.skipped["posts"] += 1
            return existing.thread_id
        post = self.new_post(item, POST_STATUSES[wp_status])
        closed = child_text(element, "comment_status") == "closed"
        save_post(post, policy=DiscussionPolicy(DiscussionMode.CLOSED) if closed else None)
        thread = Thread.objects.get(post=post)
        self.run.remember(ImportedKind.POST, key, thread=thread, original_url=_page_url(element))
        self.run.report.posts += 1
        return thread.pk

    def page_thread(self, item: _Item) -> int:
        """A discussion of an external page, from Soundoff's own export."""
        page_url = _page_url(item.element)
        if not page_url:
            raise RecordSkipped("page discussion without an http(s) link")
        key = self.post_key(item.element)
        existing = self.run.imported(ImportedKind.THREAD, key)
        if existing is not None:
            self.run.report.skipped["threads"] += 1
            return existing.thread_id
        closed = child_text(item.element, "comment_status") == "closed"
        thread, _created = Thread.objects.get_or_create(
            page_url=page_url,
            defaults={
                "title": html_to_text(child_text(item.element, "title"), max_length=300),
                "mode": DiscussionMode.CLOSED if closed else DiscussionMode.OPEN,
            },
        )
        self.run.remember(ImportedKind.THREAD, key, thread=thread, original_url=page_url)
        self.run.report.threads += 1
        return thread.pk

    def post_key(self, element: Element) -> str:
        guid = child_text(element, "guid")
        key = guid or f"{self.site_key}:{child_text(element, 'post_id')}"
        return key if len(key) <= 255 else hashlib.sha256(key.encode()).hexdigest()

    def new_post(self, item: _Item, status: PostStatus) -> Post:
        element = item.element
        headline = html_to_text(child_text(element, "title"), max_length=200) or "Untitled"
        published_at = (
            _iso_time(item.meta.get("soundoff_published_at", ""))
            or _wp_time(child_text(element, "post_date_gmt"))
            or _rfc_time(child_text(element, "pubDate"))
        )
        if status == PostStatus.SCHEDULED and published_at is None:
            raise RecordSkipped("scheduled post without a date")
        if status == PostStatus.PUBLISHED and published_at is None:
            raise RecordSkipped("published post without a date")
        source = item.meta.get("soundoff_source")
        body = (
            clean_text(source)
            if source is not None
            else html_to_source(_content(element), post=True)
        )
        creator = child_text(element, "creator")
        byline = item.meta.get("soundoff_byline")
        if byline is None:
            byline = f"By {self.authors.get(creator, creator)}" if creator else ""
        return Post(
            headline=headline,
            slug=_unique_slug(child_text(element, "post_name"), headline, element),
            byline=html_to_text(byline, max_length=200),
            body=body,
            status=status,
            published_at=published_at,
            category=_category(element),
        )

    def comment(self, item: _Item, element: Element) -> None:
        self.resolve(item)
        if item.thread_id is None:
            if item.skip_reason:
                self.run.skip(RecordSkipped(f"comment on a skipped post ({item.skip_reason})"))
            else:
                self.run.report.ignored["comments on items that are not posts"] += 1
            return
        kind = child_text(element, "comment_type")
        if kind in ("pingback", "trackback"):
            self.run.report.ignored["pingbacks and trackbacks"] += 1
            return
        try:
            self.run.add_comment(self.incoming(item.thread_id, element))
        except RecordSkipped as error:
            self.run.skip(error)

    def incoming(self, thread_id: int, element: Element) -> IncomingComment:
        comment_id = child_text(element, "comment_id")
        if not comment_id or len(comment_id) > 40:
            raise RecordSkipped("comment without a usable comment_id")
        approved = child_text(element, "comment_approved")
        status = COMMENT_STATUSES.get(approved, CommentStatus.HELD)
        meta = _meta(element, "commentmeta")
        source = meta.get("soundoff_source")
        body = (
            source
            if source is not None
            else html_to_source(child_text(element, "comment_content", strip=False))
        )
        if not body and status in (CommentStatus.VISIBLE, CommentStatus.HELD):
            raise RecordSkipped("comment without text")
        created_at = (
            _iso_time(meta.get("soundoff_created_at", ""))
            or _wp_time(child_text(element, "comment_date_gmt"))
            or _wp_time(child_text(element, "comment_date"))
        )
        if created_at is None:
            raise RecordSkipped("comment with an unreadable date")
        parent = child_text(element, "comment_parent")
        return IncomingComment(
            thread_id=thread_id,
            source_id=f"{self.site_key}:{comment_id}",
            parent_source_id=f"{self.site_key}:{parent}" if parent not in ("", "0") else "",
            body=body,
            status=status,
            created_at=created_at,
            author_name=child_text(element, "comment_author"),
            author_email=child_text(element, "comment_author_email"),
            edited_at=_iso_time(meta.get("soundoff_edited_at", "")),
            featured=meta.get("soundoff_featured") == "1",
        )


def _site_key(base_url: str) -> str:
    """Short key of the blog, so that two blogs' comment ids never collide."""
    return hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:8]


def _content(element: Element) -> str:
    for child in element:
        if local_name(child.tag) == "encoded" and "/content/" in namespace(child.tag):
            return child.text or ""
    return ""


def _meta(element: Element, tag: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for child in element:
        if local_name(child.tag) == tag:
            key = child_text(child, "meta_key")
            if key.startswith("soundoff_"):
                meta[key] = child_text(child, "meta_value", strip=False)
    return meta


def _page_url(element: Element) -> str:
    try:
        page_url = normalize_page_url(child_text(element, "link"))
    except InvalidPageURL:
        return ""
    return page_url if len(page_url) <= 1000 else ""


def _category(element: Element) -> Category | None:
    for child in element:
        if local_name(child.tag) == "category" and child.get("domain") == "category":
            slug = slugify(unquote(child.get("nicename", "")))[:80]
            name = html_to_text(child.text or "", max_length=80)
            if not slug or not name:
                return None
            found = Category.objects.filter(slug=slug).first()
            if found is None and not Category.objects.filter(name=name).exists():
                found = Category.objects.create(slug=slug, name=name)
            return found
    return None


def _unique_slug(post_name: str, headline: str, element: Element) -> str:
    base = (
        slugify(unquote(post_name))
        or slugify(headline)
        or f"post-{slugify(child_text(element, 'post_id')) or 'imported'}"
    )[:190].strip("-") or "post"
    slug, number = base, 2
    while Post.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _wp_time(raw: str) -> datetime | None:
    """WordPress's "YYYY-MM-DD HH:MM:SS", read as UTC (the _gmt fields are)."""
    if not raw or raw == ZERO_DATE:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _rfc_time(raw: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _iso_time(raw: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
