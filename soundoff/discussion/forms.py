"""The comment form, shared by the post page, the reply page and the edit page."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _


class CommentTextField(forms.CharField):
    """The reader's text exactly as typed.

    No stripping, and no NUL check here: the moderation pipeline's length
    phase judges the text, so the page and the API give the same message.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, required=False, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class CommentForm(forms.Form):
    body = CommentTextField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6, "aria-describedby": "comment-policy"}),
        help_text=_("Markdown works: *italic*, **bold**, > quote, [link](https://…)."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # A fresh key per rendered form: submitting the same form twice (a
    # double click, a resend after a lost response) creates one comment.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    accept_policies = forms.BooleanField(
        required=False,
        label=_(
            "I accept the Terms of Service, including the Rules of Conduct, and the "
            "Privacy Policy."
        ),
    )

    def __init__(self, *args: Any, needs_acceptance: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.needs_acceptance = needs_acceptance
        if not needs_acceptance:
            del self.fields["accept_policies"]


class EditCommentForm(forms.Form):
    body = CommentTextField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}))
