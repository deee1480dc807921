from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from soundoff import health
from soundoff.accounts import views as accounts_views
from soundoff.api.main import api
from soundoff.moderation import views as moderation_views
from soundoff.newsroom import views as newsroom_views
from soundoff.newsroom.feeds import LatestPosts
from soundoff.newsroom.sitemaps import CategorySitemap, PostSitemap

urlpatterns = [
    path("", include("soundoff.newsroom.urls")),
    path("", include("soundoff.discussion.urls")),
    path("accounts/claim/", include("soundoff.importers.urls")),
    path("accounts/oidc/", include("soundoff.oidc.urls")),
    path("accounts/", include("soundoff.accounts.urls")),
    path("", include("soundoff.embed.urls")),
    path("moderate/", include("soundoff.moderation.urls")),
    path("appeals/", include("soundoff.moderation.appeal_urls")),
    path("live/", include("soundoff.live.urls")),
    path("notifications/", include("soundoff.notifications.urls")),
    path("comments/<int:comment_id>/report/", moderation_views.report, name="report_comment"),
    path("terms/", accounts_views.policy, {"kind": "terms"}, name="terms"),
    path("privacy/", accounts_views.policy, {"kind": "privacy"}, name="privacy"),
    path("rules/", accounts_views.rules, name="rules"),
    path("policies/<str:kind>/v<int:version>/", accounts_views.policy, name="policy_version"),
    path(
        "avatars/<int:user_id>/<str:digest>/<int:size>.webp", accounts_views.avatar, name="avatar"
    ),
    path(
        "avatars/<int:user_id>/initials.svg", accounts_views.default_avatar, name="default_avatar"
    ),
    path("robots.txt", newsroom_views.robots_txt, name="robots_txt"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {"posts": PostSitemap, "categories": CategorySitemap},
            # The time of day too: a post updated twice on one day changes twice.
            "template_name": "newsroom/sitemap.xml",
        },
        name="sitemap",
    ),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    # Category pages last, so that /world/ can never hide a path above
    # (newsroom.root_paths tells the category form which slugs are taken).
    path("<slug:slug>/", newsroom_views.CategoryPage.as_view(), name="category"),
    path("<slug:slug>/feed/", LatestPosts(), name="category_feed"),
]
