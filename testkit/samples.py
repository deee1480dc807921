"""Disqus and WordPress export documents built in code.

The import tests build their fixtures with these (hostile ones included),
as the rest of the suite builds its world with testkit.cast, so that no
test module imports another. Values are written as given: escape nothing
here that a test wants to be hostile.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from soundoff.importers.export import WXR_HEAD

DISQUS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" '
    'xmlns:dsq="http://disqus.com/disqus-internals" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class WPComment:
    comment_id: int
    content: str = "A comment."
    parent: int = 0
    approved: str = "1"
    author: str = "Reader"
    email: str = ""
    date_gmt: str = "2011-07-13 22:00:00"
    comment_type: str = ""

    def xml(self) -> str:
        return (
            "<wp:comment>"
            f"<wp:comment_id>{self.comment_id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(self.author)}</wp:comment_author>"
            f"<wp:comment_author_email>{escape(self.email)}</wp:comment_author_email>"
            "<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>"
            f"<wp:comment_date>{self.date_gmt}</wp:comment_date>"
            f"<wp:comment_date_gmt>{self.date_gmt}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(self.content)}</wp:comment_content>"
            f"<wp:comment_approved>{self.approved}</wp:comment_approved>"
            f"<wp:comment_type>{self.comment_type}</wp:comment_type>"
            f"<wp:comment_parent>{self.parent}</wp:comment_parent>"
            "<wp:comment_user_id>0</wp:comment_user_id>"
            "</wp:comment>\n"
        )


@dataclass
class WPPost:
    post_id: int
    title: str = "A post"
    slug: str = ""
    content: str = "<p>Body.</p>"
    status: str = "publish"
    post_type: str = "post"
    date_gmt: str = "2011-07-13 21:58:00"
    link: str = ""
    creator: str = "editor"
    comment_status: str = "open"
    comments: list[WPComment] = field(default_factory=list)

    def xml(self) -> str:
        slug = self.slug or f"post-{self.post_id}"
        link = self.link or f"http://old.example.com/2011/07/{slug}/"
        return (
            "<item>"
            f"<title>{cdata(self.title)}</title>"
            f"<link>{escape(link)}</link>"
            "<pubDate>Wed, 13 Jul 2011 21:58:00 +0000</pubDate>"
            f"<dc:creator>{cdata(self.creator)}</dc:creator>"
            f'<guid isPermaLink="false">http://old.example.com/?p={self.post_id}</guid>'
            f"<content:encoded>{cdata(self.content)}</content:encoded>"
            "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
            f"<wp:post_id>{self.post_id}</wp:post_id>"
            f"<wp:post_date_gmt>{self.date_gmt}</wp:post_date_gmt>"
            f"<wp:comment_status>{self.comment_status}</wp:comment_status>"
            f"<wp:post_name>{escape(slug)}</wp:post_name>"
            f"<wp:status>{self.status}</wp:status>"
            f"<wp:post_type>{self.post_type}</wp:post_type>"
            '<category domain="category" nicename="local-news"><![CDATA[Local news]]></category>'
            + "".join(comment.xml() for comment in self.comments)
            + "</item>\n"
        )


def wxr(posts: Iterable[WPPost], *, base: str = "http://old.example.com") -> str:
    return (
        WXR_HEAD
        + "<title>The Old Ledger</title><wp:wxr_version>1.2</wp:wxr_version>"
        + f"<wp:base_site_url>{base}</wp:base_site_url>"
        + f"<wp:base_blog_url>{base}</wp:base_blog_url>\n"
        + "<wp:author><wp:author_login>editor</wp:author_login>"
        + "<wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name></wp:author>\n"
        + "".join(post.xml() for post in posts)
        + "</channel>\n</rss>\n"
    )


@dataclass
class DisqusThread:
    dsq_id: str
    link: str
    title: str = "A page"
    closed: bool = False

    def xml(self) -> str:
        return (
            f'<thread dsq:id="{escape(self.dsq_id)}">'
            f"<id>{escape(self.dsq_id)}</id><forum>oldledger</forum>"
            f"<link>{escape(self.link)}</link>"
            f"<title>{cdata(self.title)}</title>"
            "<message/><createdAt>2011-07-13T21:58:00Z</createdAt>"
            f"<isClosed>{'true' if self.closed else 'false'}</isClosed>"
            "<isDeleted>false</isDeleted>"
            "</thread>\n"
        )


@dataclass
class DisqusPost:
    dsq_id: str
    thread: str
    message: str = "<p>A comment.</p>"
    parent: str = ""
    created_at: str = "2011-07-13T22:00:00Z"
    name: str = "Reader"
    email: str = ""
    deleted: bool = False
    spam: bool = False

    def xml(self) -> str:
        parent = f'<parent dsq:id="{escape(self.parent)}"/>' if self.parent else ""
        return (
            f'<post dsq:id="{escape(self.dsq_id)}">'
            f"<id/><message>{cdata(self.message)}</message>"
            f"<createdAt>{self.created_at}</createdAt>"
            f"<isDeleted>{'true' if self.deleted else 'false'}</isDeleted>"
            f"<isSpam>{'true' if self.spam else 'false'}</isSpam>"
            f"<author><email>{escape(self.email)}</email><name>{cdata(self.name)}</name>"
            "<isAnonymous>false</isAnonymous></author>"
            f'<ipAddress>192.0.2.1</ipAddress><thread dsq:id="{escape(self.thread)}"/>'
            f"{parent}</post>\n"
        )


def disqus(threads: Iterable[DisqusThread], posts: Iterable[DisqusPost]) -> str:
    return (
        DISQUS_HEAD
        + '<category dsq:id="1"><forum>oldledger</forum><title>General</title>'
        + "<isDefault>true</isDefault></category>\n"
        + "".join(thread.xml() for thread in threads)
        + "".join(post.xml() for post in posts)
        + "</disqus>\n"
    )
