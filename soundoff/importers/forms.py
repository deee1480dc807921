"""The two claim forms: asking for a link, and choosing a password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soundoff.accounts.forms import NewPasswordForm
from soundoff.accounts.models import User


class ClaimRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address you used on the old site"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ClaimPasswordForm(NewPasswordForm):
    """For someone without an account here: the identity becomes theirs."""

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

    def password_owner(self, data: dict[str, Any]) -> User | None:
        return self.identity
