from django.urls import path

from . import feeds, views

app_name = "newsroom"

urlpatterns = [
    path("", views.FrontPage.as_view(), name="front"),
    path("posts/<slug:slug>/", views.post_detail, name="post"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.LatestPosts(), name="feed"),
]
