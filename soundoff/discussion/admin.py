from django.contrib import admin

from soundoff.lib.admin import ReadOnlyModelAdmin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(ReadOnlyModelAdmin):
    """A read-only look at comments; decisions are the moderators' pages' job,
    so that every one of them goes through a service and is audited."""

    list_display = ["id", "author", "thread", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["body", "author__display_name"]
    raw_id_fields = ["thread", "parent", "root", "author"]
    list_select_related = ["author", "thread__post"]
