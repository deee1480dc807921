from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("threads/<int:thread_id>/", views.stream_not_served, name="thread"),
    path("moderation/", views.stream_not_served, name="desk"),
]
