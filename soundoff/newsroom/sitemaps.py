from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Post


class PostSitemap(Sitemap):
    changefreq = "hourly"

    def items(self) -> QuerySet[Post]:
        return Post.objects.published()

    def lastmod(self, item: Post) -> datetime:
        return item.updated_at
