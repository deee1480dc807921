"""The reader's appeal form and the moderator's answer to it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .appeals import APPEAL_MAX_LENGTH


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should a moderator look at this again?"),
        max_length=APPEAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Up to 2,000 characters. You can appeal each decision once."),
        error_messages={
            "required": _("Say why the decision should be looked at again."),
            "max_length": _("Keep your appeal under %(limit_value)d characters."),
        },
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Turn down: the decision stands")),
            ("grant", _("Grant: undo the decision")),
        ],
        error_messages={"required": _("Choose whether to grant the appeal or turn it down.")},
    )
    answer = forms.CharField(
        label=_("Answer to the reader (sent by e-mail)"),
        required=False,
        max_length=APPEAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
