from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from soundoff.discussion.models import DiscussionMode, Thread

from .models import Post
from .services import save_post


class PostForm(forms.ModelForm):
    discussion = forms.ChoiceField(
        label=_("Discussion"), choices=DiscussionMode.choices, initial=DiscussionMode.OPEN
    )

    class Meta:
        model = Post
        fields = ["headline", "slug", "byline", "body", "status", "published_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        thread = Thread.objects.filter(post_id=self.instance.pk).first()
        if thread:
            self.fields["discussion"].initial = thread.mode


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostForm
    list_display = ["headline", "status", "published_at", "responses", "updated_at"]
    list_filter = ["status"]
    search_fields = ["headline", "byline", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
    readonly_fields = ["preview_link"]
    fields = [
        "headline",
        "slug",
        "byline",
        "body",
        "status",
        "published_at",
        "discussion",
        "preview_link",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("thread")

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
        save_post(obj, discussion=DiscussionMode(form.cleaned_data["discussion"]))
