"""Writing the site out: JSON Lines (its content: readers, posts, threads,
comments and reactions, for Soundoff) and WXR (posts and their comments,
for WordPress and for import_wordpress). What the newsroom keeps about
conduct (acceptances, the moderation log, sanctions) is not content and
stays in the database and its backups.

Both are written as a stream, chunk by chunk from the database, so an
export of any size runs in constant memory. Neither contains a password
hash, an IP address, a user agent, a session or a secret; e-mail addresses
only when asked for (--with-emails), since the file may travel further than
the database does.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.http import http_date

from soundoff.accounts.models import User
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode, Reaction, Thread
from soundoff.newsroom.models import Post, PostStatus

from .wordpress import PAGE_TYPE

FORMAT = "soundoff-jsonl"
VERSION = 1
CHUNK = 2000
WXR_STATUS = {
    PostStatus.PUBLISHED: "publish",
    PostStatus.SCHEDULED: "future",
    PostStatus.DRAFT: "draft",
}
WXR_APPROVED = {
    CommentStatus.VISIBLE: "1",
    CommentStatus.HELD: "0",
    CommentStatus.REMOVED: "spam",
    CommentStatus.DELETED: "trash",
}
# Characters XML 1.0 can't carry at all; stored text shouldn't hold them,
# but one of them would make the whole export unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# JSON Lines


def export_jsonl(out: TextIO, *, with_emails: bool = False) -> Counter[str]:
    """Write one JSON object per line, each with its "type", between an
    "export" header and an "end" line that lets an import detect truncation."""
    counts: Counter[str] = Counter()

    def write(record: dict[str, Any]) -> None:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        counts[record["type"]] += 1

    write(
        {
            "type": "export",
            "format": FORMAT,
            "version": VERSION,
            "site": settings.SOUNDOFF_SITE_NAME,
            "exported_at": _iso(timezone.now()),
        }
    )
    for record in _jsonl_records(with_emails=with_emails):
        write(record)
    total = sum(counts.values()) - counts["export"]
    out.write(json.dumps({"type": "end", "records": total}) + "\n")
    return counts


def _jsonl_records(*, with_emails: bool) -> Iterator[dict[str, Any]]:
    users = User.objects.order_by("pk").values(
        "pk", "email", "display_name", "date_joined", "is_claimed", "is_active"
    )
    for user in users.iterator(CHUNK):
        record = {
            "type": "user",
            "id": user["pk"],
            "display_name": user["display_name"],
            "date_joined": _iso(user["date_joined"]),
            "is_claimed": user["is_claimed"],
            "is_active": user["is_active"],
        }
        if with_emails:
            record["email"] = user["email"]
        yield record
    posts = Post.objects.order_by("pk").select_related("category")
    for post in posts.iterator(CHUNK):
        yield {
            "type": "post",
            "id": post.pk,
            "slug": post.slug,
            "headline": post.headline,
            "byline": post.byline,
            "body": post.body,
            "status": post.status,
            "published_at": _iso(post.published_at),
            "created_at": _iso(post.created_at),
            "category": {"slug": post.category.slug, "name": post.category.name}
            if post.category
            else None,
        }
    for thread in Thread.objects.order_by("pk").iterator(CHUNK):
        yield {
            "type": "thread",
            "id": thread.pk,
            "post": thread.post_id,
            "page_url": thread.page_url,
            "title": thread.title,
            "mode": thread.mode,
            "slow_mode_seconds": thread.slow_mode_seconds,
            "close_after_hours": thread.close_after_hours,
        }
    comments = Comment.objects.order_by("pk").values(
        "pk",
        "thread_id",
        "parent_id",
        "author_id",
        "body",
        "status",
        "created_at",
        "edited_at",
        "featured",
        "held_reason",
        "source",
        "source_id",
    )
    for comment in comments.iterator(CHUNK):
        yield {
            "type": "comment",
            "id": comment["pk"],
            "thread": comment["thread_id"],
            "parent": comment["parent_id"],
            "author": comment["author_id"],
            "body": comment["body"],
            "status": comment["status"],
            "created_at": _iso(comment["created_at"]),
            "edited_at": _iso(comment["edited_at"]),
            "featured": comment["featured"],
            "held_reason": comment["held_reason"],
            "source": comment["source"],
            "source_id": comment["source_id"],
        }
    reactions = Reaction.objects.order_by("pk").values(
        "comment_id", "user_id", "kind", "created_at"
    )
    for reaction in reactions.iterator(CHUNK):
        yield {
            "type": "reaction",
            "comment": reaction["comment_id"],
            "user": reaction["user_id"],
            "kind": reaction["kind"],
            "created_at": _iso(reaction["created_at"]),
        }


# WXR

# The opening of every WXR 1.2 document, up to the channel's own elements.
WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
)


def _cdata(text: str) -> str:
    return "<![CDATA[" + _NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _meta(tag: str, key: str, value: str) -> str:
    return (
        f"<wp:{tag}><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value>{_cdata(value)}</wp:meta_value></wp:{tag}>"
    )


class _WXRClock:
    """WXR's two spellings of a time: the site's local one and GMT."""

    def __init__(self) -> None:
        self.zone = ZoneInfo(settings.SOUNDOFF_TIME_ZONE)

    def local(self, moment: datetime | None) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S") if moment else ""

    def gmt(self, moment: datetime | None) -> str:
        if moment is None:
            return "0000-00-00 00:00:00"
        return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")


def export_wxr(out: TextIO, *, with_emails: bool = False, site_url: str = "") -> Counter[str]:
    """Write WordPress's export format: a channel of posts, each with its
    comments, statuses mapped back (visible 1, held 0, removed spam,
    deleted trash). Discussions of external pages follow as items of type
    soundoff_page, which WordPress skips and import_wordpress reads."""
    site_url = site_url.rstrip("/")
    clock = _WXRClock()
    counts: Counter[str] = Counter()
    site = settings.SOUNDOFF_SITE_NAME
    host = urlsplit(site_url).netloc or "soundoff"
    out.write(
        WXR_HEAD + f"<title>{_text(site)}</title>\n<link>{_text(site_url)}</link>\n"
        f"<description></description>\n<pubDate>{http_date()}</pubDate>\n"
        "<language>en</language>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"<wp:base_site_url>{_text(site_url)}</wp:base_site_url>\n"
        f"<wp:base_blog_url>{_text(site_url)}</wp:base_blog_url>\n"
        "<generator>Soundoff</generator>\n"
    )
    posts = Post.objects.order_by("pk").select_related("category", "thread")
    for post in posts.iterator(CHUNK):
        thread = getattr(post, "thread", None)
        out.write(_post_item(post, thread, clock=clock, site_url=site_url, host=host))
        if thread is not None:
            counts["comment"] += _write_comments(out, thread, clock=clock, emails=with_emails)
        out.write("</item>\n")
        counts["post"] += 1
    pages = Thread.objects.filter(post__isnull=True, page_url__isnull=False).order_by("pk")
    for thread in pages.iterator(CHUNK):
        out.write(_page_item(thread, host=host))
        counts["comment"] += _write_comments(out, thread, clock=clock, emails=with_emails)
        out.write("</item>\n")
        counts["thread"] += 1
    out.write("</channel>\n</rss>\n")
    return counts


def _post_item(
    post: Post, thread: Thread | None, *, clock: _WXRClock, site_url: str, host: str
) -> str:
    closed = thread is not None and thread.mode == DiscussionMode.CLOSED
    category = (
        f'<category domain="category" nicename={quoteattr(post.category.slug)}>'
        f"{_cdata(post.category.name)}</category>"
        if post.category
        else ""
    )
    return (
        "<item>"
        f"<title>{_text(post.headline)}</title>"
        f"<link>{_text(site_url + post.get_absolute_url())}</link>"
        f"<pubDate>{http_date(post.published_at.timestamp()) if post.published_at else ''}"
        "</pubDate>"
        f"<dc:creator>{_cdata(post.byline)}</dc:creator>"
        f'<guid isPermaLink="false">soundoff-post-{post.pk}@{_text(host)}</guid>'
        "<description></description>"
        f"<content:encoded>{_cdata(post.body_html)}</content:encoded>"
        "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
        f"<wp:post_id>{post.pk}</wp:post_id>"
        f"<wp:post_date>{clock.local(post.published_at)}</wp:post_date>"
        f"<wp:post_date_gmt>{clock.gmt(post.published_at)}</wp:post_date_gmt>"
        f"<wp:comment_status>{'closed' if closed else 'open'}</wp:comment_status>"
        "<wp:ping_status>closed</wp:ping_status>"
        f"<wp:post_name>{_text(post.slug)}</wp:post_name>"
        f"<wp:status>{WXR_STATUS[PostStatus(post.status)]}</wp:status>"
        "<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
        "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
        "<wp:is_sticky>0</wp:is_sticky>"
        f"{category}"
        f"{_meta('postmeta', 'soundoff_source', post.body)}"
        f"{_meta('postmeta', 'soundoff_byline', post.byline)}"
        + (
            _meta("postmeta", "soundoff_published_at", post.published_at.isoformat())
            if post.published_at
            else ""
        )
        + "\n"
    )


def _page_item(thread: Thread, *, host: str) -> str:
    closed = thread.mode == DiscussionMode.CLOSED
    return (
        "<item>"
        f"<title>{_text(thread.title)}</title>"
        f"<link>{_text(thread.page_url or '')}</link>"
        f'<guid isPermaLink="false">soundoff-thread-{thread.pk}@{_text(host)}</guid>'
        f"<wp:post_id>{thread.pk}</wp:post_id>"
        f"<wp:comment_status>{'closed' if closed else 'open'}</wp:comment_status>"
        "<wp:status>publish</wp:status>"
        f"<wp:post_type>{PAGE_TYPE}</wp:post_type>\n"
    )


def _write_comments(out: TextIO, thread: Thread, *, clock: _WXRClock, emails: bool) -> int:
    comments = (
        Comment.objects.filter(thread=thread)
        .order_by("created_at", "pk")
        .select_related("author")
        .only(
            "pk",
            "parent_id",
            "body",
            "body_html",
            "status",
            "created_at",
            "edited_at",
            "featured",
            "author__display_name",
            "author__email",
        )
    )
    written = 0
    for comment in comments.iterator(CHUNK):
        extra = _meta("commentmeta", "soundoff_created_at", comment.created_at.isoformat())
        if comment.edited_at is not None:
            extra += _meta("commentmeta", "soundoff_edited_at", comment.edited_at.isoformat())
        if comment.featured:
            extra += _meta("commentmeta", "soundoff_featured", "1")
        out.write(
            "<wp:comment>"
            f"<wp:comment_id>{comment.pk}</wp:comment_id>"
            f"<wp:comment_author>{_cdata(comment.author.display_name)}</wp:comment_author>"
            "<wp:comment_author_email>"
            f"{_text(comment.author.email) if emails else ''}</wp:comment_author_email>"
            "<wp:comment_author_url></wp:comment_author_url>"
            "<wp:comment_author_IP></wp:comment_author_IP>"
            f"<wp:comment_date>{clock.local(comment.created_at)}</wp:comment_date>"
            f"<wp:comment_date_gmt>{clock.gmt(comment.created_at)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{_cdata(comment.body_html)}</wp:comment_content>"
            f"<wp:comment_approved>{WXR_APPROVED[CommentStatus(comment.status)]}"
            "</wp:comment_approved>"
            "<wp:comment_type>comment</wp:comment_type>"
            f"<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>"
            "<wp:comment_user_id>0</wp:comment_user_id>"
            f"{_meta('commentmeta', 'soundoff_source', comment.body)}{extra}"
            "</wp:comment>\n"
        )
        written += 1
    return written
