"""Form error messages in plain words, for the forms supporters fill in.

Django's defaults ("This field is required.", "Ensure this value has at most 200
characters (it has 300).") say what the software checked, not what the person should
do. `plain_errors` replaces them on a form's fields with messages that say that.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

REQUIRED = _("Please fill this in.")
REQUIRED_CHECKBOX = _("Please tick this box to go on.")
INVALID_EMAIL = _("Please check your email address: it should look like name@example.org.")
INVALID_CHOICE = _("Please choose one of the options in the list.")
TOO_LONG = _("Please shorten this to %(limit_value)d characters or fewer (it now has %(show_value)d).")


def plain_errors(fields: dict, required: dict | None = None) -> None:
    """Give each field plain-words messages; `required` maps a field name to what to
    say when it is left empty ("Please tell us your name.")."""
    required = required or {}
    for name, field in fields.items():
        if name in required:
            field.error_messages["required"] = required[name]
        elif isinstance(field, forms.BooleanField):
            field.error_messages["required"] = REQUIRED_CHECKBOX
        else:
            field.error_messages["required"] = REQUIRED
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = INVALID_EMAIL
        if isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = INVALID_CHOICE
        field.validators = [
            MaxLengthValidator(v.limit_value, message=TOO_LONG)
            if isinstance(v, MaxLengthValidator) else v
            for v in field.validators
        ]


class PlainErrorsForm(forms.Form):
    """A form whose fields speak plainly; `required_messages` as for plain_errors."""

    required_messages: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_errors(self.fields, self.required_messages)
