"""The newest posts as RSS, for the whole site (/feed/) and for one category
(/world/feed/), straight from the syndication framework."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed, rfc3339_date
from django.utils.translation import gettext as _

from .models import Category, Post


class RssWithUpdatedDates(Rss201rev2Feed):
    """RSS 2.0 has no element for an item's last change, so each item also
    carries Atom's <atom:updated> (the feed already declares the Atom
    namespace): a reader can tell that a post gained an update or a
    correction, not only that the feed as a whole changed."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


class LatestPosts(Feed):
    feed_type = RssWithUpdatedDates
    # The body followed by its updates and corrections, as on the page.
    description_template = "newsroom/feed_item.html"

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Category | None:
        return get_object_or_404(Category, slug=slug) if slug else None

    def title(self, category: Category | None) -> str:
        if category is None:
            return settings.SOUNDOFF_SITE_NAME
        return _("%(site)s: %(category)s") % {
            "site": settings.SOUNDOFF_SITE_NAME,
            "category": category.name,
        }

    def link(self, category: Category | None) -> str:
        return category.get_absolute_url() if category else reverse("newsroom:front")

    def description(self, category: Category | None) -> str:
        if category is None:
            return _("The newest posts.")
        return _("The newest posts in %(category)s.") % {"category": category.name}

    def items(self, category: Category | None) -> QuerySet[Post]:
        posts = Post.objects.published()
        if category is not None:
            posts = posts.filter(category=category)
        return posts.select_related("category").prefetch_related("updates")[:20]

    def item_title(self, item: Post) -> str:
        return item.headline

    def item_author_name(self, item: Post) -> str:
        return item.byline

    def item_categories(self, item: Post) -> list[str]:
        return [item.category.name] if item.category else []

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime:
        return item.modified_at
