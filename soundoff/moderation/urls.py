from django.urls import path

from . import appeal_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue/decided/", views.decided, name="decided"),
    path("queue/<str:name>/", views.queue, name="queue_named"),
    path("comments/<int:comment_id>/decide/", views.decide, name="decide"),
    path("bulk/", views.bulk, name="bulk"),
    path("readers/<int:user_id>/", views.reader, name="reader"),
    path("log/", views.log, name="log"),
    path("search/", views.search, name="search"),
    path("words/", views.words, name="words"),
    path("discussions/<int:thread_id>/", views.discussion_policy, name="policy"),
    path("appeals/", appeal_views.queue, name="appeals"),
    path("appeals/<int:appeal_id>/decide/", appeal_views.decide, name="decide_appeal"),
]
