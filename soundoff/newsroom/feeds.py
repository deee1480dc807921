"""The newest posts as an RSS feed, straight from the syndication framework."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import Post


class LatestPosts(Feed):
    link = reverse_lazy("newsroom:front")
    description = _("The newest posts.")

    def title(self) -> str:
        return settings.SOUNDOFF_SITE_NAME

    def items(self) -> QuerySet[Post]:
        return Post.objects.published()[:20]

    def item_title(self, item: Post) -> str:
        return item.headline

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_author_name(self, item: Post) -> str:
        return item.byline

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime:
        return item.updated_at
