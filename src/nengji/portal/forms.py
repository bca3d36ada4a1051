from django import forms
from django.utils.translation import gettext_lazy as _

from nengji.portal.services import MAX_TEXT


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Your name (leave empty to comment anonymously)"), max_length=60, required=False
    )
    text = forms.CharField(label=_("Your comment"), max_length=MAX_TEXT, widget=forms.Textarea)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Public reply"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
