from django.urls import path

from . import views

app_name = "discussion"

urlpatterns = [
    path("posts/<slug:slug>/comments/", views.post_comment, name="post_comment"),
    path("comments/<int:comment_id>/", views.comment_permalink, name="comment"),
    path("comments/<int:comment_id>/reply/", views.reply, name="reply"),
    path("comments/<int:comment_id>/replies/", views.replies, name="replies"),
    path("comments/<int:comment_id>/edit/", views.edit, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete, name="delete"),
    path("comments/<int:comment_id>/reactions/", views.react, name="react"),
]
