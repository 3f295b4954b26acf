from django import forms
from django.utils.translation import gettext_lazy as _

from clamour.core.fields import EmailAddressField
from clamour.core.forms import PlainErrorsForm

from .models import EmailOptOut


class LoginForm(PlainErrorsForm):
    required_messages = {"email": _("Please give the email address you took action with.")}

    email = EmailAddressField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class EmailPreferencesForm(forms.Form):
    """One checkbox per topic: ticked means "send me these"."""

    def __init__(self, *args, topics: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic, label in topics:
            self.fields[f"topic:{topic}"] = forms.BooleanField(label=label, required=False)

    def wanted(self) -> dict[str, bool]:
        return {topic: self.cleaned_data[f"topic:{topic}"] for topic, _label in self.topics}


class EraseForm(PlainErrorsForm):
    required_messages = {"confirm": _("Please tick the box to confirm that you want your data erased.")}

    confirm = forms.BooleanField(
        label=_("I understand: my name, email address, postcode, letters and comments will be "
                "deleted for good, and I will be logged out."),
    )


ALL_TOPIC_LABEL = _("Campaign emails from us (news, next steps, new actions)")
COMMENT_REPLIES_LABEL = _("Replies to my comments")
ALL = EmailOptOut.ALL
