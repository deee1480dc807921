"""The claim pages: ask for a link (/accounts/claim/), confirm it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soundoff.accounts.models import User
from soundoff.accounts.queries import current_policies
from soundoff.accounts.throttle import Door, attempt
from soundoff.discussion.models import Comment

from .claims import (
    ClaimError,
    claim_identity,
    identities_for,
    max_age,
    read_token,
    start_claim,
)
from .forms import ClaimPasswordForm, ClaimRequestForm


def claim(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ClaimRequestForm(request.POST if posted else None)
    if posted and form.is_valid():
        # Counted for the address typed whether or not comments wait under
        # it, so the refusal reveals nothing either.
        refusal = attempt(Door.CLAIM, request, email=form.cleaned_data["email"])
        if refusal is not None:
            form.add_error(None, refusal.message)
            return refusal.apply(render(request, "importers/claim.html", {"form": form}))
        user = request.user if isinstance(request.user, User) else None
        start_claim(
            form.cleaned_data["email"],
            by=user,
            confirm_url=request.build_absolute_uri(reverse("importers:claim_confirm")),
        )
        return render(
            request,
            "importers/claim_sent.html",
            {"email": form.cleaned_data["email"], "hours": max_age() // 3600},
        )
    return render(
        request, "importers/claim.html", {"form": form}, status=400 if form.errors else 200
    )


def claim_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token") or request.GET.get("token") or ""
    user = request.user if isinstance(request.user, User) else None
    try:
        claim = read_token(token)
        if claim.reader_id is not None and user is None:
            return redirect_to_login(request.get_full_path())
        if claim.reader_id is not None and user is not None and user.pk != claim.reader_id:
            raise ClaimError(
                _(
                    "This link was asked for from another account. Log in to that account and "
                    "open the link again."
                ),
                code="wrong_account",
            )
    except ClaimError as error:
        return render(request, "importers/claim_confirm.html", {"error": error.detail}, status=400)
    identities = list(identities_for(claim.email))
    own = next((i for i in identities if i.email.lower() == claim.email), None)
    posted = request.method == "POST"
    form = None
    if user is None and own is not None:
        form = ClaimPasswordForm(request.POST if posted else None, identity=own)
    if posted and (form is None or form.is_valid()) and (user is not None or own is not None):
        try:
            target = claim_identity(
                user,
                token=token,
                password=form.cleaned_data["password1"] if form is not None else None,
                accept=current_policies().values() if form is not None else (),
            )
        except ClaimError as error:
            return render(
                request, "importers/claim_confirm.html", {"error": error.detail}, status=409
            )
        if user is None:
            login(request, target, backend="django.contrib.auth.backends.ModelBackend")
        count = Comment.objects.filter(author=target).count()
        messages.success(
            request,
            ngettext(
                "Welcome, %(name)s. You now hold %(count)d comment.",
                "Welcome, %(name)s. You now hold %(count)d comments.",
                count,
            )
            % {"name": target.display_name, "count": count},
        )
        return redirect("accounts:profile")
    return render(
        request,
        "importers/claim_confirm.html",
        {
            "token": token,
            "form": form,
            "identities": identities,
            "comments": Comment.objects.filter(author__in=identities).count(),
            "account_exists": user is None and own is None,
        },
        status=400 if form is not None and form.errors else 200,
    )
