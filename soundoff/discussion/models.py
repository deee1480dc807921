"""Threads and comments."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soundoff.lib.addresses import address
from soundoff.lib.text import render_comment


class DiscussionMode(models.TextChoices):
    OPEN = "open", _("Open")
    PREMODERATED = "premoderated", _("Open, every comment held for review")
    PREMODERATE_SUSPECT = (
        "premoderate_suspect",
        _("Open, comments with links or suspect words held for review"),
    )
    CLOSED = "closed", _("Closed")


class ThreadQuerySet(models.QuerySet["Thread"]):
    def with_comments_by(self, author_id: int) -> ThreadQuerySet:
        """Threads in which this reader has written, in whatever status."""
        return self.filter(pk__in=Comment.objects.filter(author_id=author_id).values("thread_id"))

    def changed(self, *, count_delta: int = 0, **also: Any) -> int:
        """Record that these threads changed: bump the version (so cached
        pages and fragments keyed on it are rebuilt), stamp the time, and
        move the visible count, in the caller's transaction."""
        return self.update(**self.changes(count_delta), **also)

    @staticmethod
    def changes(count_delta: int) -> dict[str, Any]:
        """The fields ``changed`` sets (discussion.write_checks sets them too)."""
        return {
            "version": F("version") + 1,
            "changed_at": Now(),
            "comment_count": F("comment_count") + count_delta,
        }


class Thread(models.Model):
    """The discussion under one post.

    ``comment_count`` is kept here, updated in the same transaction as the
    comment it counts, so index pages never count rows per request.
    ``version`` is bumped by every change to the thread's comments; caches
    of the rendered thread are keyed on it.
    """

    post = models.OneToOneField(
        "newsroom.Post", on_delete=models.CASCADE, related_name="thread", null=True, blank=True
    )
    # A discussion embedded under a page of another site, keyed by the
    # page's normalised URL (see soundoff.lib.urls).
    page_url = models.URLField(max_length=1000, unique=True, null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    mode = models.CharField(
        _("discussion"), max_length=24, choices=DiscussionMode.choices, default=DiscussionMode.OPEN
    )
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode"),
        default=0,
        help_text=_("Seconds each reader waits between comments; 0 is off."),
    )
    close_after_hours = models.PositiveIntegerField(
        _("close after (hours)"),
        null=True,
        blank=True,
        help_text=_("Closes this long after publication. Empty: the site default."),
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveBigIntegerField(default=1, editable=False)
    # When ``version`` last moved: the Last-Modified of the thread's pages.
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion")

    def __str__(self) -> str:
        if self.post_id:
            return str(self.post)
        return self.title or self.page_url or f"Thread {self.pk}"

    @property
    def closes_at(self) -> datetime | None:
        """When the discussion closes by itself, counted from publication."""
        hours = self.close_after_hours
        if hours is None:
            hours = settings.SOUNDOFF_AUTO_CLOSE_HOURS
        if not hours or self.post is None or self.post.published_at is None:
            return None
        return self.post.published_at + timedelta(hours=hours)

    @property
    def is_public(self) -> bool:
        """Readers may see this discussion: its post is published, or it is
        an outside page's (editors preview drafts on their own page)."""
        if self.post is not None:
            return self.post.is_published
        return bool(self.page_url)

    @property
    def is_open(self) -> bool:
        """Readers may comment: the discussion is open, its post is out, and
        its automatic closing time (if any) has not passed."""
        if self.mode == DiscussionMode.CLOSED:
            return False
        if self.post is not None and not self.post.is_published:
            return False
        closes_at = self.closes_at
        return closes_at is None or timezone.now() < closes_at


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for review")
    REMOVED = "removed", _("Removed by a moderator")
    DELETED = "deleted", _("Deleted by its author")

    @classmethod
    def shown_in_thread(cls) -> list[CommentStatus]:
        """Statuses that take a place in the thread: visible comments, and
        placeholders for removed or deleted ones that replies hang under."""
        return [cls.VISIBLE, *cls.placeholders()]

    @classmethod
    def placeholders(cls) -> list[CommentStatus]:
        """Statuses everyone may know of, as a placeholder without text or
        author: a removed or deleted comment keeps its place so that the
        replies under it still make sense."""
        return [cls.REMOVED, cls.DELETED]


# The permission of moderators (declared by moderation.ModerationAction).
MODERATE = "moderation.moderate"


def is_moderator(user: Any) -> bool:
    """Holders of moderation.moderate: the Moderators group (and superusers),
    never staff as such. Checked once per request (Django caches a user's
    permissions on the user)."""
    return bool(user is not None and user.is_authenticated and user.has_perm(MODERATE))


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> CommentQuerySet:
        """The one definition of "visible" to readers."""
        return self.filter(status=CommentStatus.VISIBLE)

    def visible_to(self, user: Any) -> CommentQuerySet:
        """Comments whose text and author ``user`` may see; the same rule
        as Comment.is_visible_to, as a filter."""
        if is_moderator(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.visible()
        return self.filter(
            models.Q(status=CommentStatus.VISIBLE)
            | models.Q(status=CommentStatus.HELD, author_id=user.pk)
        )

    def known_to(self, user: Any) -> CommentQuerySet:
        """Comments ``user`` may know of: those visible to them, and the
        placeholders of removed and deleted ones. Held comments of others
        are not there at all (not even a 'not allowed')."""
        if user is None or not user.is_authenticated:
            # One IN, as the thread's indexes expect (see Comment.Meta).
            return self.filter(status__in=CommentStatus.shown_in_thread())
        return self.visible_to(user) | self.filter(status__in=CommentStatus.placeholders())


class CommentRules:
    """The rules of one comment, read from its columns. The model has them,
    and so do the rows that thread listings are built from without a model
    per comment: one rule, whichever the page holds."""

    if TYPE_CHECKING:  # the model's fields, or the row's columns
        pk: Any
        status: str
        author_id: int
        created_at: datetime

    def get_absolute_url(self, addresses: Callable[..., str] = address) -> str:
        """The comment's permalink; a listing passes its lib.addresses.Addresses."""
        return addresses("discussion:comment", comment_id=self.pk)

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE

    def is_visible_to(self, user: Any) -> bool:
        """Whether ``user`` (None or anonymous for the public) may see this
        comment's text and author. Every surface that shows a comment asks
        this (or CommentQuerySet.visible_to / known_to, the same rule):

        - a visible comment: everyone;
        - a held comment: its author, who may still edit or delete it while
          it waits, and moderators, who decide on it; to anyone else it does
          not exist, since holding it means nobody has judged it fit to
          publish yet;
        - a removed or deleted comment: moderators, who review and restore
          removals and may need a comment deleted after it was reported to
          decide on a sanction; everyone else, its author included, gets
          only the placeholder, since removal and the author's own deletion
          both mean the site no longer publishes it.

        Listings shared by every reader (the thread page and its cache, the
        API's thread and replies, live events) are built for the public:
        ``user`` None. Moderators see the rest in their queues.
        """
        if self.status == CommentStatus.VISIBLE:
            return True
        own = user is not None and user.is_authenticated and self.author_id == user.pk
        if self.status == CommentStatus.HELD and own:
            return True
        return is_moderator(user)

    def is_known_to(self, user: Any) -> bool:
        """Whether ``user`` may know this comment exists: in full, or as the
        placeholder of a removed or deleted comment (CommentQuerySet.known_to)."""
        return self.status in CommentStatus.placeholders() or self.is_visible_to(user)

    @property
    def edit_deadline(self) -> datetime:
        return self.created_at + timedelta(seconds=settings.SOUNDOFF_EDIT_WINDOW)

    def can_be_edited_by(self, user: Any) -> bool:
        return (
            self.author_id == getattr(user, "pk", None)
            and self.status in (CommentStatus.VISIBLE, CommentStatus.HELD)
            and timezone.now() < self.edit_deadline
        )

    def can_be_deleted_by(self, user: Any) -> bool:
        return self.author_id == getattr(user, "pk", None) and self.status in (
            CommentStatus.VISIBLE,
            CommentStatus.HELD,
        )


class Comment(CommentRules, models.Model):
    # No index of their own for ``thread`` and ``root``: discussion_top and
    # discussion_replies lead with them. With one, a PostgreSQL whose
    # statistics predate the comments read a thread's every comment through
    # it and sorted them, instead of seeking in discussion_top to the page
    # (tests/discussion/test_query_plans.py); and every insert paid for it.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    # Replies nest to SOUNDOFF_REPLY_DEPTH; ``parent`` is where the comment is
    # shown, ``root`` its top-level ancestor, so a page of top-level comments
    # fetches all of its replies with one indexed query.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="replies", null=True, blank=True
    )
    root = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # Indexed with the time in discussion_by_author: a reader's recent
    # comments (every new comment's checks read them) are a range of it,
    # not a walk of everything they ever wrote.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.VISIBLE
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The licence ledger: the documents in force when the comment was posted.
    terms_version = models.ForeignKey(
        "accounts.PolicyVersion", on_delete=models.PROTECT, related_name="+"
    )
    privacy_version = models.ForeignKey(
        "accounts.PolicyVersion", on_delete=models.PROTECT, related_name="+"
    )
    # Set by the form (or an API client) so that a submission sent twice
    # creates one comment, not two.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # Moderation state. ``held_reason`` says which check or person withheld
    # it; ``decision_version`` is bumped by every decision so that a second
    # moderator acting on what they saw before gets "already decided".
    held_reason = models.CharField(max_length=40, blank=True)
    open_flags = models.PositiveIntegerField(default=0)
    featured = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_version = models.PositiveIntegerField(default=0)
    scores = models.JSONField(default=dict, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)
    # Where an imported comment came from ("disqus", "wordpress") and its id
    # there, so that importing the same file again adds nothing.
    source = models.CharField(max_length=16, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "depth", "created_at", "id"], name="discussion_top"),
            # Status is in this index so that SQLite picks it for reply
            # windows (root IN … AND status IN …) even without statistics;
            # without it, an un-ANALYZEd database walked discussion_queue,
            # every visible comment (bench/RESULTS.md: 130 ms to 0.1 ms).
            models.Index(fields=["root", "status", "created_at", "id"], name="discussion_replies"),
            # Only what the moderators' queues wait on (held, removed, or
            # reported): a listing's "status IN (visible, removed, deleted)"
            # can't use it. On PostgreSQL, statistics gathered before the
            # comments came once made the reply windows AND it with the root
            # index, reading every visible comment's entry (bench/scale:
            # 0.8 s a page at 100,000 comments).
            models.Index(
                fields=["status", "-open_flags", "-created_at"],
                name="discussion_queue",
                condition=~models.Q(status="visible") | models.Q(open_flags__gt=0),
            ),
            models.Index(
                fields=["thread", "depth", "-reaction_count", "id"], name="discussion_top_reacted"
            ),
            models.Index(fields=["author", "created_at"], name="discussion_by_author"),
        ]
        constraints = [
            # Over keyed comments only (several without a key never clashed):
            # an index of every comment by author would be there for a
            # planner without statistics to walk for an author's recent ones.
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="discussion_submission_once",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="discussion_imported_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id}"

    def save(self, *args: Any, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
        # The HTML is derived from the text: render it when the text is
        # saved, not on every status change a moderator makes.
        if update_fields is None or "body" in update_fields:
            self.body_html = render_comment(self.body)
            if update_fields is not None:
                update_fields = {*update_fields, "body_html"}
        super().save(*args, update_fields=update_fields, **kwargs)


class ReactionKind(models.TextChoices):
    AGREE = "agree", _("Agree")
    INSIGHTFUL = "insightful", _("Insightful")
    FUNNY = "funny", _("Funny")


class Reaction(models.Model):
    """A reader's reaction to a comment; one of each kind per reader."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user", "kind"], name="discussion_react_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.comment_id}"
