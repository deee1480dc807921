"""Forms of the reader drawer: a note, pre-moderation, a warning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import RuleField, WithRules
from .readers import NOTE_MAX_LENGTH


class ReaderNoteForm(forms.Form):
    text = forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note for the other moderators"),
        help_text=_("The reader can read it in their data export, without your name."),
        error_messages={"required": _("Write the note first.")},
    )


class PremoderationForm(forms.Form):
    premoderate = forms.BooleanField(required=False, label=_("Always pre-moderate this reader"))


class WarningForm(WithRules):
    rule = RuleField(
        label=_("Rule broken"),
        empty_label=_("Rule broken…"),
        error_messages={"required": _("Cite the rule the reader is warned about.")},
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Your words to the reader (optional, sent in the e-mail)"),
    )
