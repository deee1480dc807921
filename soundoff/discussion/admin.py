from django.contrib import admin
from django.http import HttpRequest

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """A read-only look at comments; decisions are the moderators' pages' job,
    so that every one of them goes through a service and is audited."""

    list_display = ["id", "author", "thread", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["body", "author__display_name"]
    raw_id_fields = ["thread", "parent", "root", "author"]
    list_select_related = ["author", "thread__post"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
