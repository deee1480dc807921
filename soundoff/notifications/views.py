"""Muting a discussion from its page, and the stop link of the e-mails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from soundoff.accounts.models import User
from soundoff.discussion.models import Thread
from soundoff.lib.links import LinkExpired, LinkInvalid

from . import services
from .links import read_stop


@login_required
@require_POST
def mute(request: HttpRequest, thread_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    thread = get_object_or_404(Thread.objects.select_related("post"), pk=thread_id)
    if not thread.is_public:
        raise Http404
    muted = request.POST.get("muted") != "0"
    services.mute_thread(thread, by=user, muted=muted)
    messages.success(
        request,
        _("You will get no e-mails about replies in this discussion.")
        if muted
        else _("You will get e-mails about replies in this discussion again."),
    )
    if thread.post is not None:
        return redirect(thread.post.get_absolute_url() + "#comments")
    return redirect("accounts:profile")


# Mail clients send the one-click POST (RFC 8058) without cookies or a CSRF
# token: the signed link is what allows it, and it can only stop mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link would do and a button (mail scanners that
    follow links change nothing); POST does it at once, signed in or not."""
    try:
        link = read_stop(token)
    except LinkExpired:
        return _refused(request, _("This link has expired."))
    except LinkInvalid:
        return _refused(request, _("This link is not valid. It may have been cut short."))
    thread = None
    if link.thread_id is not None:
        thread = Thread.objects.select_related("post").filter(pk=link.thread_id).first()
    context = {"thread": thread, "all": link.thread_id is None, "done": False}
    if request.method == "POST":
        services.stop(link)
        context["done"] = True
    return render(request, "notifications/stop.html", context)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "notifications/stop_refused.html", {"reason": reason}, status=400)
