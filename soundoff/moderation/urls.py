from django.urls import path

from . import appeal_views, desk, pages, queues, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path(
        "queue/decided/",
        pages.listing,
        {"template": "moderation/decided.html", "tab": "decided", "rows": queues.decided},
        name="decided",
    ),
    path("queue/<str:name>/", views.queue, name="queue_named"),
    path("story/<int:thread_id>/", views.queue, name="story"),
    path("story/<int:thread_id>/<str:name>/", views.queue, name="story_queue"),
    path("comments/<int:comment_id>/decide/", views.decide, name="decide"),
    path("bulk/", views.bulk, name="bulk"),
    path("readers/<int:user_id>/", views.reader, name="reader"),
    path("readers/<int:user_id>/drawer/", desk.reader_drawer, name="reader_drawer"),
    path("readers/<int:user_id>/notes/", desk.reader_note, name="reader_note"),
    path(
        "readers/<int:user_id>/premoderation/",
        desk.reader_premoderation,
        name="reader_premoderation",
    ),
    path("readers/<int:user_id>/warning/", desk.reader_warning, name="reader_warning"),
    path("live/<str:name>/", desk.live_items, name="live_items"),
    path("dashboard/", desk.dashboard, name="dashboard"),
    path("log/", views.log, name="log"),
    path("search/", views.search, name="search"),
    path("words/", views.words, name="words"),
    path("discussions/<int:thread_id>/", views.discussion_policy, name="policy"),
    path(
        "appeals/",
        pages.listing,
        {"template": "moderation/appeals/queue.html", "tab": "appeals", "rows": queues.appeals},
        name="appeals",
    ),
    path("appeals/<int:appeal_id>/decide/", appeal_views.decide, name="decide_appeal"),
]
