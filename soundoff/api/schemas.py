"""What the API reads and writes. Output fields are listed one by one:
nothing leaves the server by accident (no e-mail, IP or user agent)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Schema
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from soundoff.accounts.models import PolicyVersion, User
from soundoff.discussion.counts import response_count, soundoff_count
from soundoff.discussion.models import Comment, Thread
from soundoff.discussion.queries import CommentNode
from soundoff.discussion.rows import CommentRow
from soundoff.lib.addresses import Addresses, address
from soundoff.lib.dateline import StampLines, stamp_line
from soundoff.lib.text import unstorable_reason
from soundoff.newsroom.models import Post


class Strict(Schema):
    """Input: unknown fields are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def refuse_unstorable_text(cls, value: object) -> object:
        """JSON can carry text no database column takes ("\\u0000", a lone
        "\\ud800"): refuse it here, saying why, instead of failing with a
        server error once it reaches the database."""
        if isinstance(value, str) and (problem := unstorable_reason(value)):
            raise PydanticCustomError("unstorable", problem)
        return value


class ErrorOut(Schema):
    error: str
    detail: str


class AuthorOut(Schema):
    id: int
    display_name: str
    avatar_url: str

    @staticmethod
    def of(user: User) -> AuthorOut:
        return AuthorOut(id=user.pk, display_name=user.display_name, avatar_url=user.avatar_url())


class CommentOut(Schema):
    id: int
    thread: int
    parent: int | None
    depth: int
    status: Literal["visible", "held", "removed", "deleted"]
    author: AuthorOut | None = Field(
        description="Empty for removed or deleted comments, except to moderators."
    )
    html: str = Field(
        description="Sanitised HTML; empty for removed or deleted comments, except to moderators."
    )
    created_at: datetime
    created_line: str = Field(
        description='When it was posted, as the site prints it: "July 13th, 2011 06:20 PM ET".'
    )
    edited_at: datetime | None
    reaction_count: int
    featured: bool
    replies: list[CommentOut] = []
    more_replies: int = 0
    url: str

    @staticmethod
    def of(comment: Comment, *, viewer: User | None = None) -> CommentOut:
        """The comment as ``viewer`` may see it (None: as every reader
        does, which is what the shared thread listings show)."""
        return CommentOut.model_validate(comment_data(comment, viewer=viewer))


def comment_data(
    comment: CommentRow | Comment,
    *,
    viewer: User | None = None,
    replies: list[dict[str, Any]] | None = None,
    more_replies: int = 0,
    lines: Callable[[datetime], str] = stamp_line,
    addresses: Callable[..., str] = address,
) -> dict[str, Any]:
    """CommentOut's fields as plain data, in its order. Listings send this
    as it is, without validating each comment: it is made here, from our
    own columns (tests/api/test_api_listings.py holds it to CommentOut)."""
    shown = comment.is_visible_to(viewer)
    author = comment.author
    return {
        "id": comment.pk,
        "thread": comment.thread_id,
        "parent": comment.parent_id,
        "depth": comment.depth,
        "status": comment.status,
        "author": {
            "id": author.pk,
            "display_name": author.display_name,
            "avatar_url": author.avatar_url(),
        }
        if shown
        else None,
        "html": comment.body_html if shown else "",
        "created_at": comment.created_at,
        "created_line": lines(comment.created_at),
        "edited_at": comment.edited_at,
        "reaction_count": comment.reaction_count,
        "featured": comment.featured,
        "replies": replies or [],
        "more_replies": more_replies,
        "url": comment.get_absolute_url(addresses),
    }


def listed(node: CommentNode, lines: StampLines, addresses: Addresses) -> dict[str, Any]:
    """A comment of a shared listing, as every reader sees it, with its
    replies."""
    return comment_data(
        node.comment,
        replies=[listed(reply, lines, addresses) for reply in node.replies],
        more_replies=node.more_replies,
        lines=lines,
        addresses=addresses,
    )


def listing_body(request: HttpRequest, nodes: list[CommentNode], next_cursor: str | None) -> bytes:
    """A CommentPageOut as JSON, from plain data."""
    lines, addresses = StampLines(), Addresses()
    page = {
        "items": [listed(node, lines, addresses) for node in nodes],
        "next_cursor": next_cursor,
    }
    rendered = JSONRenderer().render(request, page, response_status=200)
    return rendered if isinstance(rendered, bytes) else rendered.encode()


class CommentPageOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class Counted(Schema):
    """A discussion's count, as a number and as the site words it."""

    comment_count: int
    count_text: str = Field(
        description='The count in words: "No Responses", "One Response", "2 Responses".'
    )
    soundoff_text: str = Field(
        description='The count as the site prints it: "soundoff (One Response)".'
    )

    @staticmethod
    def texts(count: int) -> dict[str, Any]:
        """The three fields for ``count`` comments."""
        return {
            "comment_count": count,
            "count_text": response_count(count),
            "soundoff_text": soundoff_count(count),
        }


class ThreadOut(Counted):
    id: int | None = Field(description="Empty until the first comment creates the thread.")
    post: str | None = Field(description="The slug of the post, for the newsroom's own posts.")
    page_url: str | None
    title: str
    mode: str
    is_open: bool

    @staticmethod
    def of(thread: Thread) -> ThreadOut:
        return ThreadOut(
            id=thread.pk,
            post=thread.post.slug if thread.post else None,
            page_url=thread.page_url,
            title=thread.post.headline if thread.post else thread.title,
            **Counted.texts(thread.comment_count),
            mode=thread.mode,
            is_open=thread.is_open,
        )


class PostOut(Counted):
    slug: str
    headline: str
    byline: str
    published_at: datetime | None
    updated_at: datetime
    url: str
    thread: int | None

    @staticmethod
    def of(post: Post) -> PostOut:
        thread = getattr(post, "thread", None)
        count = thread.comment_count if thread else 0
        return PostOut(
            slug=post.slug,
            headline=post.headline,
            byline=post.byline,
            published_at=post.published_at,
            updated_at=post.updated_at,
            url=post.get_absolute_url(),
            thread=thread.pk if thread else None,
            **Counted.texts(count),
        )


class PostDetailOut(PostOut):
    body_html: str


class PostPageOut(Schema):
    items: list[PostOut]
    next_cursor: str | None


class CommentIn(Strict):
    body: str = Field(max_length=100_000)
    thread: int | None = Field(None, description="The thread; or give page_url.")
    page_url: str | None = Field(
        None,
        max_length=1000,
        description="An outside page; its thread is created on the first "
        "comment if its origin is allowed.",
    )
    title: str = Field("", max_length=300)
    parent: int | None = None


class CommentEditIn(Strict):
    body: str = Field(max_length=100_000)


class ReactionIn(Strict):
    kind: Literal["agree", "insightful", "funny"]


class ReactionsOut(Schema):
    reaction_count: int
    mine: list[str]


class FlagIn(Strict):
    rule: int | None = Field(None, description="The number of the rule the comment breaks.")
    explanation: str = Field("", max_length=500)


class FlagOut(Schema):
    id: int
    comment: int
    created_at: datetime


class CountOut(Counted):
    key: str

    @staticmethod
    def of(key: str, count: int) -> CountOut:
        return CountOut(key=key, **Counted.texts(count))


class CountsOut(Schema):
    counts: list[CountOut]


class PolicyOut(Schema):
    id: int
    kind: str
    version: int
    title: str
    url: str
    summary_of_changes: str

    @staticmethod
    def of(document: PolicyVersion) -> PolicyOut:
        return PolicyOut(
            id=document.pk,
            kind=document.kind,
            version=document.version,
            title=document.title,
            url=document.get_absolute_url(),
            summary_of_changes=document.summary_of_changes,
        )


class MeOut(Schema):
    authenticated: bool
    reader: AuthorOut | None
    policies_awaiting: list[PolicyOut]
    # True until the reader opens the link that confirms their address
    # (when the site asks for it before the first comment).
    must_confirm_email: bool = False
    sanction: SanctionNoticeOut | None = Field(
        None,
        description="Why and until when the reader may not comment, and where to appeal; "
        "empty while they may.",
    )


class SanctionNoticeOut(Schema):
    detail: str
    appeal_url: str
    appeal_label: str


class LinkSentOut(Schema):
    sent: bool
    detail: str


class AcceptIn(Strict):
    documents: list[int] = Field(min_length=1, max_length=10)


class ThreadMineOut(Schema):
    """Per-reader bits of a thread, kept out of the cacheable thread reads."""

    editable: list[int]
    deletable: list[int]
    reactions: dict[int, list[str]]
    sources: dict[int, str] = Field(
        default_factory=dict,
        description="The text as written of each editable comment, to edit it.",
    )
    held: list[CommentOut] = Field(
        default_factory=list,
        description="The reader's comments here that wait for a moderator: only they see them.",
    )


CommentOut.model_rebuild()
