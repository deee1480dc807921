"""Forms of the moderator pages and of readers' reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soundoff.accounts.models import ConductRule
from soundoff.accounts.queries import current_policies
from soundoff.discussion.models import DiscussionMode

from .models import ActionKind

DECISIONS = [
    ("approve", _("Approve")),
    ("remove", _("Remove")),
    ("restore", _("Restore")),
    ("feature", _("Feature")),
    ("unfeature", _("Unfeature")),
]


def current_rule_choices() -> Any:
    terms = current_policies().get("terms")
    return ConductRule.objects.filter(terms=terms).order_by("number")


class RuleField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=ConductRule.objects.none(), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


class WithRules(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, RuleField):
                field.queryset = current_rule_choices()


class DecisionForm(WithRules):
    decision = forms.ChoiceField(choices=DECISIONS)
    rule = RuleField(required=False, label=_("Rule"), empty_label=_("Rule broken…"))
    note = forms.CharField(required=False, max_length=1000, label=_("Note"))
    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "remove" and not data.get("rule"):
            self.add_error("rule", _("Cite the rule the comment breaks to remove it."))
        return data


class BulkForm(DecisionForm):
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, comment_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["comments"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, pk) for pk in comment_ids]
        field.error_messages["required"] = _("Select at least one comment.")


class FlagForm(WithRules):
    # The empty choice is "other": the reader then explains what is wrong
    # (the service refuses "other" without an explanation).
    rule = RuleField(
        required=False,
        blank=True,
        widget=forms.RadioSelect,
        empty_label=_("Other (explain below)"),
        label=_("Which rule does it break?"),
    )
    explanation = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything else the moderators should know? (Required if no rule fits.)"),
    )


SANCTIONS = [("suspend", _("Suspend")), ("ban", _("Ban")), ("lift", _("Lift sanctions"))]


class SanctionForm(WithRules):
    sanction = forms.ChoiceField(choices=SANCTIONS)
    days = forms.IntegerField(
        required=False, min_value=1, max_value=3650, label=_("Days (suspensions)")
    )
    rule = RuleField(required=False, label=_("Rule"), empty_label=_("Rule broken…"))
    note = forms.CharField(required=False, max_length=1000, label=_("Note"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sanction") == "suspend" and not data.get("days"):
            self.add_error("days", _("Give the suspension a number of days."))
        return data


class WordListsForm(forms.Form):
    banned = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        label=_("Banned words and phrases: comments are refused"),
    )
    banned_rule = forms.IntegerField(
        required=False, min_value=1, label=_("Rule number cited for banned words")
    )
    suspect = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        label=_("Suspect words and phrases: comments are flagged"),
    )
    allowed = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        label=_("Allowed phrases: a banned or suspect word inside one does not count"),
        help_text=_("For everyday phrases such as “a chink in the armor”."),
    )

    def clean_banned_rule(self) -> int | None:
        number = self.cleaned_data.get("banned_rule")
        if number is not None and not current_rule_choices().filter(number=number).exists():
            raise forms.ValidationError(
                _("There is no Rule %(n)d in the current Rules of Conduct."),
                params={"n": number},
            )
        return number


class PolicyForm(forms.Form):
    mode = forms.ChoiceField(choices=DiscussionMode.choices, label=_("Discussion"))
    slow_mode_seconds = forms.IntegerField(
        min_value=0, max_value=86400, initial=0, label=_("Slow mode (seconds between comments)")
    )
    close_after_hours = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=87600,
        label=_("Close this many hours after publication"),
    )


class LogFilterForm(forms.Form):
    moderator = forms.CharField(required=False, label=_("Moderator (display name)"))
    action = forms.ChoiceField(required=False, choices=[("", _("Any")), *ActionKind.choices])
    rule = forms.IntegerField(required=False, min_value=1, label=_("Rule number"))
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
