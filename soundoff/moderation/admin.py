from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Flag, ModerationAction, Sanction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decisions are made on the moderator pages, through the services, so
    that each is audited; the admin only shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "user", "comment", "rule", "reason_code"]
    list_filter = ["action"]
    search_fields = ["note", "reason_code", "actor__display_name", "user__display_name"]
    list_select_related = ["actor", "user", "rule"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["comment", "reporter", "rule", "created_at", "resolved_at"]
    list_select_related = ["reporter", "rule"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at"]
    list_select_related = ["user"]
