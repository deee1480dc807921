"""The moderator's desk around the queues: the reader drawer (history,
notes, pre-moderation, warnings), the live queue's items and the
dashboard. Views parse and call
services; the writes are in readers.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from soundoff.accounts.models import User

from . import dashboard as stats
from . import notices, queues, readers
from .access import moderator_action, moderator_only
from .desk_forms import PremoderationForm, ReaderNoteForm, WarningForm
from .forms import SanctionForm, current_rule_choices
from .models import ModerationAction, PremoderatedReader, ReaderNote, Sanction
from .pages import back_to, form_saved
from .queries import author_histories

LIVE_ITEMS_MAX = 20

# The reader page's forms, by the name its template knows each by.
_FORMS: dict[str, type[forms.Form]] = {
    "note_form": ReaderNoteForm,
    "warning_form": WarningForm,
    "premoderation_form": PremoderationForm,
    "form": SanctionForm,
}


def reader_context(subject: User) -> dict[str, Any]:
    """What the drawer and the reader page show about ``subject``."""
    return {
        "subject": subject,
        "history": author_histories([subject.pk])[subject.pk],
        "comments": subject.comments.select_related("thread__post").order_by("-created_at")[:50],
        "sanctions": Sanction.objects.filter(user=subject).select_related("rule", "created_by"),
        "actions": ModerationAction.objects.filter(user=subject).select_related("actor", "rule")[
            :50
        ],
        "notes": ReaderNote.objects.filter(reader=subject).select_related("written_by"),
        "premoderated": PremoderatedReader.objects.filter(reader=subject).exists(),
        **{name: form() for name, form in _FORMS.items()},
    }


@moderator_only
def reader_drawer(request: HttpRequest, user_id: int) -> HttpResponse:
    """The reader's drawer, a fragment the queue page opens beside the queue."""
    subject = get_object_or_404(User, pk=user_id)
    return render(request, "moderation/_reader_drawer.html", reader_context(subject))


@moderator_action
def reader_note(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=user_id)
    return _act(
        request,
        subject,
        "note_form",
        lambda by, data: readers.note_reader(subject, by=by, text=data["text"]),
        _("The note is saved."),
    )


@moderator_action
def reader_premoderation(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=user_id)

    def apply(by: User, data: dict[str, Any]) -> None:
        readers.set_premoderation(subject, by=by, on=data["premoderate"])

    on = request.POST.get("premoderate") == "on"
    done = (
        _("%(name)s's comments are now held for review.")
        if on
        else _("%(name)s's comments are no longer held for review.")
    )
    return _act(
        request, subject, "premoderation_form", apply, done % {"name": subject.display_name}
    )


@moderator_action
def reader_warning(request: HttpRequest, user_id: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=user_id)
    told = (
        _("The warning is logged and e-mailed to %(name)s.")
        if notices.may_be_told(subject)
        else _("The warning is logged; %(name)s has no confirmed address to e-mail it to.")
    )
    return _act(
        request,
        subject,
        "warning_form",
        lambda by, data: readers.warn_reader(subject, by=by, rule=data["rule"], note=data["note"]),
        told % {"name": subject.display_name},
    )


def _act(
    request: HttpRequest,
    subject: User,
    name: str,
    apply: Callable[[User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """The reader page's form ``name``, posted: on success say so and go back
    where the moderator was. A refused form shows its errors on the reader's
    page, with what was typed still in it."""
    form = _FORMS[name](request.POST)
    back = back_to(request, reverse("moderation:reader", args=[subject.pk]))
    return form_saved(request, form, apply, done=done, then=back) or render(
        request, "moderation/reader.html", {**reader_context(subject), name: form}, status=400
    )


@moderator_only
def live_items(request: HttpRequest, name: str) -> JsonResponse:
    """The queue's counts and, rendered as the queue shows them, those of
    the asked comments (``ids``) that are in it: what the live queue adds
    when the moderation stream names a changed comment. The stream carries
    ids only; what a comment says comes from here, behind the permission
    check."""
    if name not in queues.COMMENT_QUEUES:
        raise Http404
    story = request.GET.get("story", "")
    thread_id = int(story) if story.isdigit() else None
    ids = [int(v) for v in request.GET.get("ids", "").split(",") if v.isdigit()][:LIVE_ITEMS_MAX]
    comments = list(queues.comments_in(name, thread_id=thread_id).filter(pk__in=ids))
    context = {
        "queue": name,
        "histories": author_histories(c.author_id for c in comments),
        "rules": list(current_rule_choices()),
    }
    items = [
        {
            "id": comment.pk,
            "html": render_to_string(
                "moderation/_queue_item.html", {**context, "comment": comment}, request=request
            ),
        }
        for comment in comments
    ]
    return JsonResponse({"counts": queues.counts(thread_id=thread_id), "items": items})


@moderator_only
def dashboard(request: HttpRequest) -> HttpResponse:
    """Comments, holds, removals and reports per day and per story."""
    days = stats.days_asked(request.GET.get("days"))
    per_day = stats.per_day(days=days)
    per_story = stats.per_story(days=days)
    return render(
        request,
        "moderation/dashboard.html",
        {
            "queue": "dashboard",
            "counts": queues.counts(),
            "days": days,
            "day_choices": stats.DAY_CHOICES,
            "measures": stats.MEASURE_NAMES,
            "per_day": per_day,
            "per_story": per_story,
            "day_charts": stats.charts(per_day),
            "story_charts": stats.charts(per_story),
        },
    )
