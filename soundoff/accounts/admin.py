from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from soundoff.lib.admin import ReadOnlyModelAdmin

from .forms import AdminLoginForm
from .models import ConductRule, PolicyAcceptance, PolicyVersion, User
from .services import draft_next_version

# Operators log in with a password too: the same throttle and length limit.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["display_name", "email", "is_staff", "is_active", "date_joined"]
    search_fields = ["display_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "display_name", "password"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "display_name", "password1", "password2"]})]


class ConductRuleInline(admin.StackedInline):
    model = ConductRule
    extra = 0
    fields = ["number", "slug", "title", "text"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Published versions are frozen: readers accepted exactly that text.
    To change a document, draft its next version and publish that."""

    list_display = ["__str__", "title", "published_at"]
    list_filter = ["kind"]
    actions = ["draft_next_version"]
    inlines = [ConductRuleInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.is_published:
            return ["kind", "version", "title", "body", "summary_of_changes", "published_at"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_published

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is not None and obj.kind != "terms":
            return []
        instances = super().get_inline_instances(request, obj)
        if obj is not None and obj.is_published:
            for inline in instances:
                inline.has_add_permission = lambda *a, **k: False  # type: ignore[method-assign]
                inline.has_change_permission = lambda *a, **k: False  # type: ignore[method-assign]
                inline.has_delete_permission = lambda *a, **k: False  # type: ignore[method-assign]
        return instances

    @admin.action(description=_("Draft the next version of the selected documents"))
    def draft_next_version(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        for source in queryset:
            draft = draft_next_version(source)
            messages.success(request, _("Drafted %(doc)s.") % {"doc": draft})


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(ReadOnlyModelAdmin):
    """The acceptance ledger: append-only, so nobody can edit or delete it."""

    list_display = ["user", "document", "accepted_at"]
    list_filter = ["document"]
    search_fields = ["user__display_name"]
    list_select_related = ["user", "document"]
