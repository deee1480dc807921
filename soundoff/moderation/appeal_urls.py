"""The reader's appeal pages, under /appeals/."""

from django.urls import path

from . import appeal_views

app_name = "appeals"

urlpatterns = [
    path("", appeal_views.mine, name="mine"),
    path("<int:decision_id>/", appeal_views.new, name="new"),
]
