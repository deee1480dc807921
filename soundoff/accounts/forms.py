"""Registration, log-in, profile and policy-acceptance forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from soundoff.lib.images import Avatar, ImageRejected, process_avatar
from soundoff.lib.names import InvalidDisplayName, clean_display_name

from .models import User
from .tasks import send_email


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

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

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


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


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
    """Sends the reset e-mail from the task worker, not inside the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        # Django fills site_name from the request's host ("127.0.0.1:8000")
        # when django.contrib.sites is not installed; name the site as every
        # page does.
        context = {**context, "site_name": settings.SOUNDOFF_SITE_NAME}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(subject=subject, body=body, to=[to_email])
