from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Greatest

from .models import Category, Post


class PostSitemap(Sitemap):
    changefreq = "hourly"

    def items(self) -> QuerySet[Post]:
        return Post.objects.published()

    def lastmod(self, item: Post) -> datetime:
        return item.modified_at


class CategorySitemap(Sitemap):
    """Category pages with something on them; a page changes when one of
    its posts does (Post.modified_at, here in SQL)."""

    changefreq = "hourly"

    def items(self) -> QuerySet[Category]:
        published = Q(posts__in=Post.objects.published())
        return (
            Category.objects.annotate(
                lastmod=Max(Greatest("posts__updated_at", "posts__published_at"), filter=published)
            )
            .filter(lastmod__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, item: Category) -> datetime:
        return item.lastmod  # type: ignore[attr-defined]
