from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from soundoff.accounts.models import User
from soundoff.discussion.models import DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.lib.dateline import date_line, time_line

from .models import Category, Post, PostUpdate, UpdateKind
from .services import add_post_update, save_post


class PostForm(forms.ModelForm):
    """The post, and the policy of its discussion: a new post starts with its
    category's policy unless the editor picks one here."""

    discussion = forms.ChoiceField(
        label=_("Discussion"),
        required=False,
        choices=[("", _("As its category says (open if none)")), *DiscussionMode.choices],
    )
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode (seconds)"), min_value=0, required=False
    )
    close_after_hours = forms.IntegerField(
        label=_("Close after (hours)"), min_value=1, required=False
    )

    class Meta:
        model = Post
        fields = ["headline", "slug", "byline", "category", "body", "status", "published_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The newsroom middleware makes the admin read and show times in the
        # newsroom's zone; say which, beside the field where editors type.
        self.fields["published_at"].help_text = _(
            "When readers first see it, in %(label)s (%(zone)s). "
            "In the future, the post waits until then."
        ) % {"label": settings.SOUNDOFF_TIME_ZONE_LABEL, "zone": settings.SOUNDOFF_TIME_ZONE}
        thread = Thread.objects.filter(post_id=self.instance.pk).first()
        if thread:
            self.fields["discussion"].initial = thread.mode
            self.fields["slow_mode_seconds"].initial = thread.slow_mode_seconds
            self.fields["close_after_hours"].initial = thread.close_after_hours

    def policy(self) -> DiscussionPolicy | None:
        data = self.cleaned_data
        if not data.get("discussion"):
            return None
        return DiscussionPolicy(
            DiscussionMode(data["discussion"]),
            data.get("slow_mode_seconds") or 0,
            data.get("close_after_hours"),
        )


class PostUpdateInline(admin.StackedInline):
    """Updates and corrections under the post: new ones are added here,
    past ones are shown read-only, and none can be deleted, so the record
    readers see stays whole (see PostUpdate)."""

    model = PostUpdate
    extra = 1
    can_delete = False
    fields = ["kind", "text", "added"]
    readonly_fields = ["added"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("editor")

    @admin.display(description=_("Added"))
    def added(self, entry: PostUpdate) -> str:
        if entry.pk is None:
            return str(_("When you save the post."))
        when = f"{date_line(entry.created_at)} {time_line(entry.created_at)}"
        if entry.editor is None:
            return when
        return _("%(when)s by %(editor)s") % {"when": when, "editor": entry.editor}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostForm
    list_display = ["headline", "status", "published_at", "responses", "updated_at"]
    list_filter = ["status", "category"]
    search_fields = ["headline", "byline", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
    readonly_fields = ["preview_link"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "byline", "category", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "preview_link"]}),
        (
            _("Discussion"),
            {"fields": ["discussion", "slow_mode_seconds", "close_after_hours"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("thread")

    def get_inlines(self, request: HttpRequest, obj: Post | None) -> list[Any]:
        # Updates and corrections tell readers what changed after they read
        # the post; before it is published the editor just edits the text.
        return [PostUpdateInline] if obj is not None and obj.is_published else []

    @admin.display(description=_("Responses"))
    def responses(self, post: Post) -> int:
        thread = getattr(post, "thread", None)
        return thread.comment_count if thread else 0

    @admin.display(description=_("Preview"))
    def preview_link(self, post: Post) -> str:
        if not post.pk:
            return str(_("Save the post to preview it."))
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("newsroom:preview", args=[post.pk]),
            _("Open the page as readers will see it"),
        )

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        editor = request.user if isinstance(request.user, User) else None
        save_post(obj, by=editor, policy=form.policy())

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not PostUpdate:
            super().save_formset(request, form, formset, change)
            return
        editor = request.user if isinstance(request.user, User) else None
        # Past entries are read-only, so only new ones come back from the form.
        for entry in formset.save(commit=False):
            kind = UpdateKind(entry.kind)
            add_post_update(form.instance, by=editor, kind=kind, text=entry.text)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Editors keep the sections and the discussion policy each section's
    new posts start with (Editors group: add and change)."""

    list_display = ["name", "slug", "discussion", "slow_mode_seconds", "close_after_hours"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug"]}),
        (
            _("Discussions of new posts"),
            {"fields": ["discussion", "slow_mode_seconds", "close_after_hours"]},
        ),
    ]
