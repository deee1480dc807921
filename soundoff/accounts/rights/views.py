"""The profile's rights pages: download my data, change my address, delete
my account; and the links that confirm an address."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import confirmation
from ..errors import AccountError
from ..models import User
from ..views import _next_url
from .deletion import delete_account as delete_account_service
from .export import reader_data
from .forms import ChangeEmailForm, DeleteAccountForm


def _reader(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _form_page(request: HttpRequest, template: str, form: Form) -> HttpResponse:
    """The page of ``form``: 400 when it carries errors (and what was typed)."""
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def _confirm_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:confirm_email"))


def send_link(request: HttpRequest, user: User) -> None:
    """Mail the reader a new confirmation link and say so (pages share this)."""
    if confirmation.send_confirmation(user, confirm_url=_confirm_url(request)):
        messages.info(request, confirmation.link_sent_detail())
    elif user.email_verified_at is not None:
        messages.info(request, _("Your e-mail address is confirmed already."))
    else:
        messages.error(request, confirmation.too_many_links_detail())


@require_POST
@login_required
def send_confirmation(request: HttpRequest) -> HttpResponse:
    send_link(request, _reader(request))
    return redirect(_next_url(request, reverse("accounts:profile")))


@never_cache
def confirm_email(request: HttpRequest) -> HttpResponse:
    """The page a confirmation link opens. Opening it only shows a button:
    mail scanners follow links, and a change of address must be the
    reader's own act."""
    token = request.POST.get("token") or request.GET.get("token") or ""
    if request.method != "POST":
        return render(request, "accounts/confirm_email.html", {"token": token})
    try:
        confirmed = confirmation.confirm(token)
    except confirmation.ConfirmationError as error:
        return render(request, "accounts/confirm_email.html", {"error": error.detail}, status=400)
    if confirmed.previous_email is None:
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
    else:
        messages.success(request, _("Your e-mail address is changed and confirmed."))
    if request.user.is_authenticated and request.user.pk == confirmed.user.pk:
        return redirect("accounts:profile")
    return redirect("accounts:login")


@login_required
def change_email(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    posted = request.method == "POST"
    form = ChangeEmailForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            confirmation.request_email_change(
                user,
                new_email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                confirm_url=_confirm_url(request),
            )
        except AccountError as error:
            form.add_error(error.field, error.detail)
        else:
            messages.info(
                request,
                _(
                    "We sent a link to %(email)s. Your address changes when you open it; until "
                    "then, the current one stays."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:profile")
    return _form_page(request, "accounts/change_email.html", form)


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything kept about the reader, as a JSON file to download."""
    user = _reader(request)
    response = HttpResponse(
        json.dumps(reader_data(user), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"soundoff-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    posted = request.method == "POST"
    form = DeleteAccountForm(request.POST if posted else None)
    if posted and form.is_valid():
        if not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("That is not your current password. Type it again."))
        else:
            delete_account_service(
                user,
                by=user,
                keep_comments=form.keep_comments,
            )
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for taking part."))
            return redirect("newsroom:front")
    return _form_page(request, "accounts/delete_account.html", form)
