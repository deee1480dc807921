from django import forms
from django.utils.translation import gettext_lazy as _


class ReplyMailForm(forms.Form):
    reply_mail = forms.BooleanField(
        label=_("E-mail me when someone replies to my comments"),
        required=False,
    )
