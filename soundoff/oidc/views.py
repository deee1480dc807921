"""The two ends of a sign-in with the provider: the way out and the way back."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from soundoff.accounts.views import _next_url

from . import client, services
from .errors import SignInFailed

logger = logging.getLogger(__name__)

# Where to go once signed in, kept in the session for the round trip.
NEXT_KEY = "oidc_next"


@require_GET
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    if not client.is_enabled():
        raise Http404
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    request.session[NEXT_KEY] = _next_url(request)
    from . import protocol  # Authlib only once a reader signs in (protocol.py says why)

    try:
        return protocol.authorization_redirect(
            request, redirect_uri=request.build_absolute_uri(reverse("oidc:callback"))
        )
    except SignInFailed as failure:
        return _failed(request, failure)


@require_GET
@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    if not client.is_enabled():
        raise Http404
    from . import protocol  # Authlib only once a reader signs in (protocol.py says why)

    try:
        user, created = services.reader_for(protocol.complete(request))
    except SignInFailed as failure:
        return _failed(request, failure)
    next_url = request.session.pop(NEXT_KEY, "/")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if created:
        # The name came from the provider, where it may be the reader's
        # full legal name: say that it is public, and where to change it.
        messages.success(
            request,
            _(
                "Welcome, %(name)s. Everyone sees this name beside your comments; you can "
                "change it in your profile."
            )
            % {"name": user.display_name},
        )
    else:
        messages.success(request, _("Welcome back, %(name)s.") % {"name": user.display_name})
    return redirect(next_url)


def _failed(request: HttpRequest, failure: SignInFailed) -> HttpResponse:
    # The case only: no address, subject or token goes to the log.
    logger.info("Sign-in with the OpenID Connect provider failed: %s", failure.code)
    return render(
        request,
        "oidc/failed.html",
        {
            "detail": failure.detail,
            "label": client.label(),
            "next": request.session.get(NEXT_KEY, ""),
        },
        status=failure.status,
    )
