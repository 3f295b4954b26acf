"""Form fields shared by every app's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clamour.lib.emails import has_control_characters, normalise_email


class EmailAddressField(forms.EmailField):
    """The email address a person types, in every public form: refused if it holds a
    control character, otherwise checked as Django checks addresses, and returned in
    the one spelling used to find the person (`normalise_email`)."""

    default_error_messages = {
        "control": _(
            "An email address cannot contain invisible control characters. "
            "Please type it again."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if has_control_characters(value):
            raise forms.ValidationError(self.error_messages["control"], code="control")
        return normalise_email(value)

