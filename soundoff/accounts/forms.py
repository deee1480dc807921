"""Registration, log-in, profile and policy-acceptance forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from soundoff.lib.images import Avatar, ImageRejected, process_avatar
from soundoff.lib.names import InvalidDisplayName, clean_display_name

from .models import User
from .tasks import send_password_reset
from .throttle import Door, Refusal, attempt

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Longer passwords are refused before anything hashes them: Argon2 reads the
# whole password, so a megabyte typed into a form would cost the server a
# megabyte of hashing on every try. Passphrase managers stay far below this.
PASSWORD_MAX_LENGTH = 1024


def password_field(
    label: str | _StrPromise, *, autocomplete: str, help_text: str | _StrPromise = ""
) -> forms.CharField:
    """A password input with the length limit, never sent back into the page."""
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        help_text=help_text,
        error_messages={
            "max_length": _(
                "Passwords can have at most %(limit_value)d characters; this one has "
                "%(show_value)d."
            )
        },
    )


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Display name"),
            max_length=60,
            help_text=_("Shown with your comments. 2 to 40 characters."),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        try:
            return clean_display_name(value)
        except InvalidDisplayName as error:
            raise forms.ValidationError(str(error)) from None


class AvatarField(forms.FileField):
    """An upload checked by decoding it: the result is a re-encoded Avatar."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Profile picture"),
            required=False,
            help_text=_("JPEG, PNG, WebP or GIF, up to 2 MB. Shown beside your comments."),
            widget=forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
            ),
            **kwargs,
        )

    def clean(self, data: Any, initial: Any = None) -> Avatar | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return process_avatar(
                upload,
                max_bytes=settings.SOUNDOFF_AVATAR_MAX_BYTES,
                max_pixels=settings.SOUNDOFF_AVATAR_MAX_PIXELS,
                max_decode_bytes=settings.SOUNDOFF_AVATAR_MAX_DECODE_BYTES,
            )
        except ImageRejected as error:
            raise forms.ValidationError(str(error)) from None


class NewPasswordForm(forms.Form):
    """A new password typed twice, checked against the reader it is for
    (``password_owner``), so that one equal to their e-mail is refused."""

    password1 = password_field(
        _("Password"),
        autocomplete="new-password",
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = password_field(_("Password again"), autocomplete="new-password")

    def password_owner(self, data: dict[str, Any]) -> User | None:
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            try:
                password_validation.validate_password(first, self.password_owner(data))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RegistrationForm(NewPasswordForm):
    field_order = ["email", "display_name", "password1", "password2", "avatar"]

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, help_text=_("Never shown to anyone.")
    )
    display_name = DisplayNameField()
    avatar = AvatarField()
    accept_policies = forms.BooleanField(
        label=_(
            "I accept the Terms of Service, including the Rules of Conduct, and the "
            "Privacy Policy."
        ),
        error_messages={"required": _("Accept the Terms and the Privacy Policy to register.")},
    )

    def password_owner(self, data: dict[str, Any]) -> User:
        # The would-be reader, so that a password that is just the e-mail
        # address is refused like any other weak one.
        return User(email=data.get("email") or "", display_name=data.get("display_name") or "")


class ThrottledLoginMixin(AuthenticationForm):
    """Log-in throttled per address typed and per IP, with the password length limit.

    The throttle counts before the password is checked, so refused attempts
    cost no hashing; ``refusal`` tells the view to answer 429.
    """

    password = password_field(_("Password"), autocomplete="current-password")

    refusal: Refusal | None = None

    def clean(self) -> dict[str, Any]:
        if self.request is not None:
            self.refusal = attempt(Door.LOGIN, self.request, email=self.data.get("username", ""))
            if self.refusal is not None:
                raise forms.ValidationError(self.refusal.message, code="throttled")
        return super().clean()


class LoginForm(ThrottledLoginMixin):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's log-in, held to the same limits as the readers' one."""


class NewPasswordFieldsMixin(forms.Form):
    """Django's password forms with the length limit on every password field."""

    new_password1: forms.Field = password_field(
        _("New password"),
        autocomplete="new-password",
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2: forms.Field = password_field(
        _("New password again"), autocomplete="new-password"
    )


class ResetPasswordForm(NewPasswordFieldsMixin, SetPasswordForm):
    """The new password chosen from a reset link."""


class ChangePasswordForm(NewPasswordFieldsMixin, PasswordChangeForm):
    """The new password chosen from the profile, after the current one."""

    old_password = password_field(_("Current password"), autocomplete="current-password")


class DisplayNameForm(forms.Form):
    display_name = DisplayNameField()


class AvatarForm(forms.Form):
    avatar = AvatarField()


class AcceptPoliciesForm(forms.Form):
    accept_policies = forms.BooleanField(
        label=_("I have read and accept these documents."),
        error_messages={"required": _("Tick the box to accept, or go back.")},
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Hands the address to the task worker, which looks it up and mails.

    The request does the same work whether or not an account has the address
    (one task enqueued), so neither the page nor its timing tells.
    """

    def save(  # type: ignore[override]
        self, *, request: HttpRequest | None = None, use_https: bool = False, **options: Any
    ) -> None:
        domain = request.get_host() if request is not None else ""
        send_password_reset.enqueue(
            email=self.cleaned_data["email"], domain=domain, use_https=use_https
        )
