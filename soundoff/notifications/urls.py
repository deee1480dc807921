from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("threads/<int:thread_id>/mute/", views.mute, name="mute"),
    path("stop/<str:token>/", views.stop, name="stop"),
]
