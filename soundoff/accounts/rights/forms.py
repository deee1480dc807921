"""Forms of the reader's rights: a new address, and deleting the account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soundoff.accounts.forms import password_field


def current_password_field() -> forms.CharField:
    """The reader's current password, checked before a change to the account
    (and, like every password field, refused past 1,024 characters unhashed)."""
    return password_field(_("Your current password"), autocomplete="current-password")


class ChangeEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        help_text=_("We send a link to it; the address changes when you open the link."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = current_password_field()


KEEP = "keep"
ERASE = "erase"


class DeleteReaderForm(forms.Form):
    """What happens to the comments of an account being deleted (the
    operator's form in the admin; the reader's adds their password)."""

    comments = forms.ChoiceField(
        label=_("Comments"),
        choices=[
            (
                ERASE,
                _(
                    "Erase them. Where others replied, a “deleted” placeholder stays so that "
                    "the replies still make sense."
                ),
            ),
            (
                KEEP,
                _(
                    "Keep them in the discussions under the name “Deleted reader”, without the "
                    "reader's name or picture, under the licence granted when they were posted."
                ),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to the comments.")},
    )

    @property
    def keep_comments(self) -> bool:
        return self.cleaned_data["comments"] == KEEP


class DeleteAccountForm(DeleteReaderForm):
    password = current_password_field()
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good and cannot be restored."),
        error_messages={"required": _("Tick the box to confirm, or go back to your profile.")},
    )
