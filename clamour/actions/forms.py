import copy
import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from clamour.lib.countries import COUNTRY_CHOICES

from .models import Action
from .targeting import NoTarget, resolve_targets

MAX_LETTER_CHARS = 10_000


class CountryField(forms.ChoiceField):
    """A ChoiceField whose (never modified) list of countries is shared by every form
    instance: Django deep-copies each field per form, and copying 249 choices was the
    largest single cost of handling a submission."""

    def __deepcopy__(self, memo):
        # What Field.__deepcopy__ does, minus copying the choices (field's and widget's).
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


def wording_digest(wording: str) -> str:
    return hashlib.sha256(wording.encode()).hexdigest()[:16]


class SubmissionForm(forms.Form):
    """Everything a supporter fills in to take an action.

    Letter fields appear only for letter actions, the postcode only where the action
    asks for it. The consent question's exact wording travels with the form (as a
    digest) so what is stored is what the person saw.
    """

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your email"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    country = CountryField(label=_("Your country"),
                           choices=[("", _("Choose your country"))] + COUNTRY_CHOICES,
                           widget=forms.Select(attrs={"autocomplete": "country"}))
    postcode = forms.CharField(label=_("Your postcode"), max_length=20, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Your letter"), required=False, max_length=MAX_LETTER_CHARS,
                           widget=forms.Textarea(attrs={"rows": 14}))
    comment = forms.CharField(label=_("Why are you signing? (optional)"), required=False,
                              max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    reply_to_ok = forms.BooleanField(
        label=_("Let the recipient reply to me directly (they will see my email address)."),
        required=False,
    )
    consent = forms.BooleanField(required=False)
    consent_digest = forms.CharField(widget=forms.HiddenInput, required=False)
    ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    def __init__(self, *args, action: Action, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.targets = targets
        self.resolution = None
        self.fields["consent"].label = action.consent_wording
        self.fields["consent_digest"].initial = wording_digest(action.consent_wording)
        if action.ask_postcode:
            self.fields["postcode"].required = True
        else:
            del self.fields["postcode"]
        if action.is_letter:
            del self.fields["comment"]
            self.fields["subject"].required = True
            self.fields["body"].required = True
            self.fields["subject"].initial = action.letter_subject
            self.fields["body"].initial = action.letter_template
        else:
            for name in ("subject", "body", "reply_to_ok"):
                del self.fields[name]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self):
        return self.cleaned_data.get("postcode", "").strip().upper()

    def clean_body(self):
        body = self.cleaned_data.get("body", "").replace("\r\n", "\n").strip()
        if self.action.is_letter and len(body.split()) < 5:
            raise forms.ValidationError(_("Your letter is too short to send. Please write a few sentences."))
        return body

    def clean_ref(self):
        return self.cleaned_data.get("ref", "").strip()

    def clean_consent_digest(self):
        digest = self.cleaned_data.get("consent_digest", "")
        if digest and digest != wording_digest(self.action.consent_wording):
            # The campaigner changed the question while the form was open: ask again,
            # so we never store an answer to words the person did not see.
            self.data = self.data.copy()
            self.data["consent_digest"] = wording_digest(self.action.consent_wording)
            raise forms.ValidationError(
                _("The question about keeping in touch has changed. Please read it again and submit.")
            )
        return digest

    def clean(self):
        cleaned = super().clean()
        if self.action.is_letter and cleaned.get("country"):
            try:
                self.resolution = resolve_targets(
                    self.action, cleaned["country"], cleaned.get("postcode", ""), self.targets
                )
            except NoTarget as exc:
                self.add_error("country", str(exc))
        return cleaned
