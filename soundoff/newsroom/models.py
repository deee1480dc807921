"""Posts: the newsroom's timestamped stories, their sections, and the dated
updates and corrections added after publication."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soundoff.discussion.models import DiscussionMode
from soundoff.lib.text import normalize_newlines, render_post, unstorable_reason

from .root_paths import taken_root_segments


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class Category(models.Model):
    """A section of the newsroom, carrying the discussion policy its posts
    start with (court stories pre-moderated, say)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    discussion = models.CharField(
        _("discussion"),
        max_length=24,
        choices=DiscussionMode.choices,
        default=DiscussionMode.OPEN,
        help_text=_("How discussions of new posts in this category start."),
    )
    slow_mode_seconds = models.PositiveIntegerField(_("slow mode (seconds)"), default=0)
    close_after_hours = models.PositiveIntegerField(
        _("close after (hours)"), null=True, blank=True, help_text=_("Empty: the site default.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("category", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # The category's page is /<slug>/ at the site's root. Its route comes
        # last, so it can never hide /accounts/ or /feed/; but a category
        # slugged "feed" would then have a page nobody can reach. Say so here.
        if self.slug and self.slug.lower() in taken_root_segments():
            raise ValidationError(
                {
                    "slug": _(
                        "The address /%(slug)s/ belongs to the site itself, so this "
                        "category's page could never be reached there. Choose another "
                        "slug, such as “%(slug)s-news”."
                    )
                    % {"slug": self.slug}
                }
            )


def published_filter(*, now: datetime | None = None, via: str = "") -> Q:
    """The one definition of "published": readers can see it now.

    A scheduled post counts from its time on, so it appears without
    anyone acting; no worker has to flip its status. ``via`` reaches the
    post from another model ("post__" from a thread), as a join rather
    than a subquery over every post.
    """
    return Q(
        **{
            f"{via}status__in": [PostStatus.SCHEDULED, PostStatus.PUBLISHED],
            f"{via}published_at__lte": now or timezone.now(),
        }
    )


class PostQuerySet(models.QuerySet["Post"]):
    def published(self, *, now: datetime | None = None) -> PostQuerySet:
        """Posts readers can see now (see published_filter)."""
        return self.filter(published_filter(now=now))


class Post(models.Model):
    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("category"),
    )
    body = models.TextField(
        _("body"), help_text=_("Markdown: paragraphs, **bold**, *italic*, > quotes, [links](…).")
    )
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When readers first see it. In the future, the post waits until then."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="newsroom_post_listing")]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status == PostStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body_html = render_post(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("newsroom:post", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.status == PostStatus.SCHEDULED and self.published_at is None:
            raise ValidationError(
                {"published_at": _("A scheduled post needs its publication time.")}
            )

    @property
    def modified_at(self) -> datetime:
        """When what readers see last changed: an edit, an update or a
        correction (add_post_update moves updated_at), or the publication
        itself for a post scheduled after its last edit."""
        if self.published_at is None:
            return self.updated_at
        return max(self.updated_at, self.published_at)

    @property
    def is_published(self) -> bool:
        return (
            self.status != PostStatus.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class UpdateKind(models.TextChoices):
    UPDATE = "update", _("Update")
    CORRECTION = "correction", _("Correction")


EMPTY_UPDATE = _("Write the update or correction as readers should read it.")


class PostUpdate(models.Model):
    """A dated note an editor adds to a published post: news that came in
    after publication (an update), or what the post got wrong (a correction).

    Append-only, on purpose: a correction is the newsroom's public record, so
    an entry is never edited or deleted (the admin offers neither). A note
    that is itself wrong gets a correction of its own, and the history shows
    both.
    """

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="updates", verbose_name=_("post")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=UpdateKind.choices, default=UpdateKind.UPDATE
    )
    # blank=True so that clean() is the one place that refuses empty text,
    # whitespace included, with one message.
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown, shown at the end of the post with its date and time."),
    )
    text_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("editor"),
    )

    class Meta:
        verbose_name = _("update or correction")
        verbose_name_plural = _("updates and corrections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_html = render_post(self.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.text = normalize_newlines(self.text).strip()
        if not self.text:
            raise ValidationError({"text": EMPTY_UPDATE})
        reason = unstorable_reason(self.text)
        if reason:
            raise ValidationError({"text": reason})
        if self.post_id is not None and not self.post.is_published:
            raise ValidationError(
                _(
                    "Updates and corrections are for published posts. Publish the post "
                    "first, or change its text while readers can't see it yet."
                )
            )
