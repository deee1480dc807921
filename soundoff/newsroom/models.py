"""Posts: the newsroom's timestamped stories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soundoff.discussion.models import DiscussionMode
from soundoff.lib.text import render_post


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
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
    def is_published(self) -> bool:
        return (
            self.status != PostStatus.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
