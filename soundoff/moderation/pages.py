"""What the moderators' pages share: a paged listing under the queue tabs,
a decision posted from a queue and what is said of its outcome, a form
saved on a page, and the safe way back to where the moderator was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from soundoff.accounts.models import User
from soundoff.discussion.errors import DiscussionError

from . import queues
from .access import moderator_only

PAGE_SIZE = 25


@moderator_only
def listing(
    request: HttpRequest, *, template: str, tab: str, rows: Callable[[], QuerySet[Any]]
) -> HttpResponse:
    """One page of ``rows()`` under the queue tabs, ``tab`` the one shown
    open: the decided comments and the appeals (urls.py names which)."""
    page = Paginator(rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"queue": tab, "page": page, "counts": queues.counts()})


def back_to(request: HttpRequest, default: str) -> str:
    """The moderator page the form came from (its ``next``), else ``default``.
    Only a path on the moderation desk is followed, so a crafted link cannot
    send the moderator off the site after a decision."""
    target = request.POST.get("next", "")
    if target.startswith("/moderate/") and "//" not in target:
        return target
    return default


def decision_posted(
    request: HttpRequest,
    form: forms.Form,
    decide: Callable[[User, dict[str, Any]], None],
    *,
    back: str,
) -> HttpResponse:
    """A decision posted from a queue: ``decide`` with the moderator and the
    form's data, or, when the form is refused, each of its errors as a
    message; either way back to the queue (303), where the messages show."""
    if form.is_valid():
        by = request.user
        assert isinstance(by, User)
        decide(by, form.cleaned_data)
    else:
        # Each error names its fix ("Cite the rule…"); the field's code name
        # ("rule:") would only add noise for the moderator.
        for errors in form.errors.values():
            for error in errors:  # an ErrorList yields its messages as text
                messages.error(request, str(error))
    return HttpResponseRedirect(back, status=303)


def form_saved(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[User, dict[str, Any]], object],
    *,
    done: str,
    then: str,
) -> HttpResponse | None:
    """A moderator page's form, posted and valid: ``save`` it with the
    moderator, say ``done`` and go to ``then`` (303). None when there is
    nothing to go on to: not posted, invalid, or refused by the service, whose
    reason joins the form's errors so the page shows it with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    by = request.user
    assert isinstance(by, User)
    try:
        save(by, form.cleaned_data)
    except DiscussionError as error:
        form.add_error(None, error.detail)
        return None
    messages.success(request, done)
    return HttpResponseRedirect(then, status=303)


def tell_outcome(
    request: HttpRequest, decide: Callable[[], object], *, pk: int, refused: str, done: str
) -> None:
    """Run one decision and say what came of it: ``done``, or the service's
    refusal through ``refused`` (a translated "… %(id)d: %(detail)s"), so that
    each decision of a bulk action names the item it was about."""
    try:
        decide()
    except DiscussionError as error:
        messages.error(request, refused % {"id": pk, "detail": error.detail})
    else:
        messages.success(request, done)
