from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from soundoff.lib.admin import ReadOnlyModelAdmin

from .errors import AccountError
from .models import ConductRule, PolicyAcceptance, PolicyVersion, User
from .rights.deletion import delete_account
from .rights.forms import DeleteReaderForm
from .services import draft_next_version


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

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        # Readers are deleted one at a time, each with its choice about comments.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Delete a reader through the same service as the profile's page,
        which hands over or erases their comments, rather than Django's
        cascade, which PROTECT foreign keys (comments, the log) refuse."""
        reader = self.get_object(request, unquote(object_id))
        if reader is None:
            raise Http404
        if not self.has_delete_permission(request, reader):
            raise PermissionDenied
        posted = request.method == "POST"
        form = DeleteReaderForm(request.POST if posted else None)
        if posted and form.is_valid():
            try:
                delete_account(reader, by=request.user, keep_comments=form.keep_comments)
            except AccountError as error:
                form.add_error(None, error.detail)
            else:
                self.message_user(request, _("The account is deleted."))
                return redirect("admin:accounts_user_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": reader,
            "form": form,
            "comments": reader.comments.count(),
            "title": _("Delete a reader"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/accounts/user/delete_reader.html", context)


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
