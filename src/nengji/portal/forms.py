from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.translation import gettext_lazy as _

from nengji.portal.services import MAX_TEXT


class CaptchaInput(CaptchaTextInput):  # type: ignore[misc]  # the package has no types
    """The challenge image with a label in the page's language (the package's says "captcha")."""

    template_name = "portal/captcha_widget.html"


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Your name (leave empty to comment anonymously)"), max_length=60, required=False
    )
    text = forms.CharField(label=_("Your comment"), max_length=MAX_TEXT, widget=forms.Textarea)
    # Drawn here, stored once, deleted at the first attempt: a missing, wrong, expired or
    # replayed answer is refused before the comment reaches the service (and its rate limit).
    captcha = CaptchaField(
        label=_("Type the letters in the picture"),
        widget=CaptchaInput,
        error_messages={
            "invalid": _(
                "The letters do not match the picture, or the picture has expired. "
                "A new picture is shown: please type its letters."
            ),
            "required": _("Please type the letters in the picture."),
        },
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Public reply"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
