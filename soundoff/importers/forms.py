"""The two claim forms: asking for a link, and choosing a password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from soundoff.accounts.models import User


class ClaimRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address you used on the old site"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ClaimPasswordForm(forms.Form):
    """For someone without an account here: the identity becomes theirs."""

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
    accept_policies = forms.BooleanField(
        label=_(
            "I accept the Terms of Service, including the Rules of Conduct, and the "
            "Privacy Policy."
        ),
        error_messages={"required": _("Accept the Terms and the Privacy Policy to continue.")},
    )

    def __init__(self, *args: Any, identity: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.identity = identity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            try:
                password_validation.validate_password(first, self.identity)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
