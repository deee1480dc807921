"""Appeals: the reader's pages (their decisions, the appeal form) and the
moderators' queue. Views parse and call moderation.appeals, which decides
who may do what."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from soundoff.accounts.models import User
from soundoff.discussion.errors import DiscussionError

from . import appeals
from .access import moderator_action
from .appeal_forms import AppealDecisionForm, AppealForm
from .models import Appeal
from .pages import decision_posted, tell_outcome


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The decisions about the reader still in force, and their appeals."""
    reader = request.user
    assert isinstance(reader, User)
    return render(
        request,
        "moderation/appeals/mine.html",
        {"decisions": appeals.decisions_about(reader), "appeals": appeals.appeals_of(reader)},
    )


@login_required
def new(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The appeal form for one decision about the reader (404 for anyone
    else: a decision about another reader is none of theirs)."""
    reader = request.user
    assert isinstance(reader, User)
    item = next((i for i in appeals.decisions_about(reader) if i.decision.pk == decision_id), None)
    if item is None:
        raise Http404
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            appeals.file_appeal(item.decision, by=reader, text=form.cleaned_data["text"])
        except DiscussionError as error:
            form.add_error(None, error.detail)
            status = error.http_status
        else:
            messages.success(
                request, _("Your appeal is sent. A moderator will answer you by e-mail.")
            )
            return HttpResponseRedirect(reverse("appeals:mine"), status=303)
    elif form.errors:
        status = 400
    return render(
        request, "moderation/appeals/new.html", {"item": item, "form": form}, status=status
    )


@moderator_action
def decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal, pk=appeal_id)

    def answer_appeal(by: User, data: dict[str, Any]) -> None:
        grant = data["outcome"] == "grant"
        tell_outcome(
            request,
            lambda: appeals.decide_appeal(appeal, by=by, grant=grant, answer=data["answer"]),
            pk=appeal.pk,
            refused=_("Appeal %(id)d: %(detail)s"),
            done=(
                _("Appeal %(id)d granted; the reader is told.")
                if grant
                else _("Appeal %(id)d turned down; the reader is told.")
            )
            % {"id": appeal.pk},
        )

    return decision_posted(
        request,
        AppealDecisionForm(request.POST),
        answer_appeal,
        back=reverse("moderation:appeals"),
    )
