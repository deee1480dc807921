"""Moderation records in the admin, read-only: decisions are made on the
moderator pages, through the services, so that each one is audited."""

from django.contrib import admin

from soundoff.lib.admin import ReadOnlyModelAdmin as ReadOnlyAdmin

from .models import Appeal, Flag, ModerationAction, Sanction


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


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["user", "decision", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "decision", "decided_by"]
