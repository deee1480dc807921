"""Registration, profile, policy pages and acceptance, profile pictures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from soundoff.lib.images import initials_svg
from soundoff.notifications import services as reply_mail
from soundoff.notifications.forms import ReplyMailForm

from . import confirmation, services
from .errors import AccountError
from .forms import (
    AcceptPoliciesForm,
    AvatarForm,
    DisplayNameForm,
    LoginForm,
    RegistrationForm,
    ThrottledLoginMixin,
)
from .models import AvatarImage, PolicyKind, PolicyVersion, User
from .queries import current_policies, policies_awaiting
from .throttle import Door, attempt


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def register(request: HttpRequest) -> HttpResponse:
    """Create an account; answer alike whether or not the address is taken.

    A new address gets its account; an address that already has one (or
    imported comments) gets an e-mail to its owner instead. The page says
    the same in both cases and nobody is logged in, so registering can't be
    used to find out who has an account here.
    """
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    # Bound on every POST, even an empty one (``request.POST or None`` would
    # answer a bare POST with a blank form, no errors and status 200).
    posted = request.method == "POST"
    if posted:
        refusal = attempt(Door.REGISTER, request, email=request.POST.get("email", ""))
        if refusal is not None:
            # Checked before the form, so a refused attempt decodes no picture.
            refused = RegistrationForm(request.POST)
            refused.add_error(None, refusal.message)
            return refusal.apply(_registration_page(request, refused))
    form = RegistrationForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_reader(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                avatar=data["avatar"],
                accept=current_policies().values(),
                site_url=request.build_absolute_uri("/").rstrip("/"),
                language=get_language(),
            )
        except AccountError as error:
            form.add_error(error.field, error.detail)
        else:
            if user is not None and confirmation.must_confirm_email(user):
                confirmation.send_confirmation(
                    user, confirm_url=request.build_absolute_uri(reverse("accounts:confirm_email"))
                )
            return render(
                request,
                "accounts/registered.html",
                {
                    "email": data["email"],
                    "next": _next_url(request, ""),
                    "form": LoginForm(request, initial={"username": data["email"]}),
                    "confirm_first": settings.SOUNDOFF_REQUIRE_VERIFIED_EMAIL,
                },
            )
    return _registration_page(request, form)


def _registration_page(request: HttpRequest, form: RegistrationForm) -> HttpResponse:
    return render(
        request,
        "accounts/register.html",
        {"form": form, "next": _next_url(request, "")},
        status=400 if form.errors else 200,
    )


class LoginView(auth_views.LoginView):
    """Django's log-in, answering 429 with Retry-After once throttled."""

    form_class = LoginForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        refusal = form.refusal if isinstance(form, ThrottledLoginMixin) else None
        return refusal.apply(response) if refusal is not None else response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, throttled per address typed and per IP."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = attempt(Door.RESET, request, email=request.POST.get("email", ""))
        if refusal is None:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        form.add_error(None, refusal.message)
        return refusal.apply(self.form_invalid(form))


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    name_form = DisplayNameForm(initial={"display_name": user.display_name})
    avatar_form = AvatarForm()
    reply_mail_form = ReplyMailForm(initial={"reply_mail": reply_mail.wants_reply_mail(user)})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "name":
            name_form = DisplayNameForm(request.POST)
            if name_form.is_valid():
                try:
                    services.change_display_name(
                        user, display_name=name_form.cleaned_data["display_name"]
                    )
                except AccountError as error:
                    name_form.add_error("display_name", error.detail)
                else:
                    messages.success(request, _("Your display name is updated."))
                    return redirect("accounts:profile")
        elif action == "avatar":
            avatar_form = AvatarForm(request.POST, request.FILES)
            if avatar_form.is_valid():
                if avatar_form.cleaned_data["avatar"] is None:
                    avatar_form.add_error("avatar", _("Choose a picture to upload."))
                else:
                    services.set_avatar(user, avatar=avatar_form.cleaned_data["avatar"])
                    messages.success(request, _("Your profile picture is updated."))
                    return redirect("accounts:profile")
        elif action == "reply-mail":
            reply_mail_form = ReplyMailForm(request.POST)
            if reply_mail_form.is_valid():
                enabled = reply_mail_form.cleaned_data["reply_mail"]
                reply_mail.set_reply_mail(
                    user, enabled=enabled, site_url=request.build_absolute_uri("/").rstrip("/")
                )
                messages.success(
                    request,
                    _("We will e-mail you about replies to your comments.")
                    if enabled
                    else _("We will not e-mail you about replies any more."),
                )
                return redirect("accounts:profile")
        elif action == "remove-avatar":
            services.remove_avatar(user)
            messages.success(request, _("Your profile picture is removed."))
            return redirect("accounts:profile")
        status = 400
    return render(
        request,
        "accounts/profile.html",
        {"name_form": name_form, "avatar_form": avatar_form, "reply_mail_form": reply_mail_form},
        status=status,
    )


@login_required
def accept(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    awaiting = policies_awaiting(user)
    if not awaiting:
        return redirect(_next_url(request))
    posted = request.method == "POST"
    form = AcceptPoliciesForm(request.POST if posted else None)
    if posted and form.is_valid():
        services.accept_policies(user, documents=awaiting)
        messages.success(request, _("Thank you. You can comment now."))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/accept.html",
        {"form": form, "awaiting": awaiting, "next": _next_url(request, "")},
        status=400 if form.errors else 200,
    )


@require_GET
def policy(request: HttpRequest, kind: str, version: int | None = None) -> HttpResponse:
    if kind not in PolicyKind.values:
        raise Http404
    versions = PolicyVersion.objects.published().filter(kind=kind)
    if version is None:
        document = versions.order_by("-version").first()
        if document is None:
            raise Http404(_("This site has not published that document yet."))
    else:
        document = get_object_or_404(versions, version=version)
    return render(
        request,
        "accounts/policy.html",
        {
            "document": document,
            "rules": document.rules.all() if kind == PolicyKind.TERMS else [],
            "history": versions.order_by("-version").only("kind", "version", "published_at"),
        },
    )


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    terms = current_policies().get(PolicyKind.TERMS)
    if terms is None:
        raise Http404(_("This site has not published its Terms of Service yet."))
    return render(request, "accounts/rules.html", {"terms": terms, "rules": terms.rules.all()})


@require_GET
@cache_control(public=True, max_age=31_536_000, immutable=True)
def avatar(request: HttpRequest, user_id: int, digest: str, size: int) -> HttpResponse:
    """A re-encoded picture. Its URL names its digest, so it never changes."""
    image = get_object_or_404(AvatarImage, user_id=user_id, digest=digest, size=size)
    return HttpResponse(bytes(image.data), content_type="image/webp")


@require_GET
@cache_control(public=True, max_age=3600)
def default_avatar(request: HttpRequest, user_id: int) -> HttpResponse:
    """The generated picture of a reader without one: their initials."""
    user = get_object_or_404(User.objects.only("display_name"), pk=user_id)
    response = HttpResponse(initials_svg(user.display_name), content_type="image/svg+xml")
    # An SVG opened directly is a document: let it run nothing at all.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
