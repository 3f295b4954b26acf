import copy
import hashlib

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clamour.core.fields import EmailAddressField
from clamour.core.forms import plain_errors
from clamour.lib import letters
from clamour.lib.countries import COUNTRY_CHOICES, country_choices
from clamour.lib.emails import has_control_characters
from clamour.lib.unicodetext import clean_name

from .letters import LetterPreview, letter_for, stand_ins
from .models import Action
from .targeting import NoTarget, resolve_targets

MAX_LETTER_CHARS = 10_000

REQUIRED_MESSAGES = {
    "name": _("Please tell us your name."),
    "email": _("Please give your email address."),
    "country": _("Please choose your country."),
    "postcode": _("Please give your postcode."),
    "subject": _("Please give your letter a subject."),
    "body": _("Please write your letter."),
}


def _shallow_copy(obj):
    # copy.copy() without the __reduce_ex__ round trip (fields and widgets keep their
    # state in __dict__ and have no __copy__ of their own).
    result = object.__new__(type(obj))
    result.__dict__.update(obj.__dict__)
    return result


def light_copy(field: forms.Field) -> forms.Field:
    """What Field.__deepcopy__ gives a form instance (its own widget, attributes, error
    messages and validators), without the deepcopy machinery; choices stay shared."""
    result = _shallow_copy(field)
    result.widget = _shallow_copy(field.widget)
    result.widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


class CountrySelect(forms.Select):
    """The country <select>, written out directly: rendering 249 options through
    Django's widget templates was most of the time to render the campaign page
    (bench/RESULTS.md, commit `1bc8582`). Each option's HTML is made once per language;
    the output is Django's Select's, option for option (tested)."""

    _options: dict = {}  # (language, id of the choices) → (choices, [(value, plain, selected)])

    def render(self, name, value, attrs=None, renderer=None):
        selected = self.format_value(value)
        parts = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]
        for option_value, plain, chosen in self._rendered_options():
            parts.append(chosen if option_value in selected else plain)
        parts.append("</select>")
        return mark_safe("\n".join(parts))

    def _rendered_options(self):
        key = (get_language(), id(self.choices))
        entry = self._options.get(key)
        if entry is not None and entry[0] is self.choices:  # (the entry keeps its id taken)
            return entry[1]
        options = []
        for option_value, label in self.localised_choices():
            option_value = "" if option_value is None else str(option_value)
            options.append((
                option_value,
                format_html('<option value="{}">{}</option>', option_value, label),
                format_html('<option value="{}" selected>{}</option>', option_value, label),
            ))
        self._options[key] = (self.choices, options)
        return options


    def localised_choices(self):
        """The empty choice first, then the countries named and sorted in the page's
        language (the same codes as `choices`)."""
        blank = [choice for choice in self.choices if not choice[0]]
        codes = {choice[0] for choice in self.choices if choice[0]}
        return blank + [choice for choice in country_choices(get_language()) if choice[0] in codes]


class CountryField(forms.ChoiceField):
    """A ChoiceField whose (never modified) list of countries is shared by every form
    instance: Django deep-copies each field per form, and copying 249 choices was the
    largest single cost of handling a submission."""

    widget = CountrySelect

    def __deepcopy__(self, memo):
        result = light_copy(self)
        memo[id(self)] = result
        return result


class PreparedFields(dict):
    """One action's form fields, built once (`fields_for`): each form instance gets
    light copies, not the deep copies Django makes (the largest cost of validating a
    submission once the country list was no longer copied)."""

    def __deepcopy__(self, memo):
        return {name: light_copy(field) for name, field in self.items()}


_fields_cache: dict = {}


def fields_for(action: Action) -> PreparedFields:
    """The SubmissionForm fields for `action` as it is now, built once per version."""
    key = (action.pk, action.kind, action.ask_postcode, action.consent_wording,
           action.letter_subject, action.letter_template)
    fields = _fields_cache.get(key)
    if fields is None:
        fields = PreparedFields(SubmissionForm.build_fields(action))
        if len(_fields_cache) >= 64:
            _fields_cache.clear()
        _fields_cache[key] = fields
    return fields


def clean_tracking_value(value: str) -> str:
    """A utm_source / utm_campaign value as stored: letters, digits and - _ . + only,
    at most 64 characters; anything else is dropped rather than refused (a supporter
    must never see an error because of how a link they followed was tagged)."""
    value = value.strip()[:64]
    return "".join(c for c in value if c.isalnum() or c in "-_.+")


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
    email = EmailAddressField(label=_("Your email"))
    country = CountryField(label=_("Your country"),
                           choices=[("", _("Choose your country"))] + COUNTRY_CHOICES,
                           widget=CountrySelect(attrs={"autocomplete": "country"}))
    postcode = forms.CharField(label=_("Your postcode"), max_length=20, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Your letter"), required=False, max_length=MAX_LETTER_CHARS,
                           widget=forms.Textarea(attrs={"rows": 14}))
    comment = forms.CharField(label=_("Why are you signing?"), required=False,
                              max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    reply_to_ok = forms.BooleanField(
        label=_("Let the recipient reply to me directly (they will see my email address)."),
        required=False,
    )
    consent = forms.BooleanField(required=False)
    consent_digest = forms.CharField(widget=forms.HiddenInput, required=False)
    ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)
    utm_source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    utm_campaign = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, action: Action, targets=None, **kwargs):
        self.base_fields = fields_for(action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.targets = targets
        self.resolution = None

    @classmethod
    def build_fields(cls, action: Action) -> dict:
        """This action's fields, labelled and required as the action asks."""
        fields = copy.deepcopy(cls.base_fields)
        fields["consent"].label = action.consent_wording
        fields["consent_digest"].initial = wording_digest(action.consent_wording)
        if action.ask_postcode:
            fields["postcode"].required = True
        else:
            del fields["postcode"]
        if action.is_letter:
            del fields["comment"]
            fields["subject"].required = True
            fields["body"].required = True
            fields["subject"].initial = action.letter_subject
            fields["body"].initial = action.letter_template
        else:
            for name in ("subject", "body", "reply_to_ok"):
                del fields[name]
        plain_errors(fields, REQUIRED_MESSAGES)
        return fields

    def letter(self) -> LetterPreview | None:
        """The letter box's subject and body filled in for what the supporter has chosen
        so far (see actions.letters), and who it goes to; None for a petition."""
        if not self.action.is_letter:
            return None
        if not self.is_bound:
            preview = letter_for(self.action, self.initial.get("country", ""), targets=self.targets)
            self.initial.update(subject=preview.subject, body=preview.body)
            return preview
        known = getattr(self, "cleaned_data", {})
        preview = letter_for(
            self.action, known.get("country", ""), known.get("postcode", ""), self.targets,
            known.get("name", ""), subject=self.data.get("subject", ""),
            body=self.data.get("body", ""))
        self.data = self.data.copy()
        self.data["subject"], self.data["body"] = preview.subject, preview.body
        return preview

    def clean_name(self):
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def clean_postcode(self):
        return self.cleaned_data.get("postcode", "").strip().upper()

    def clean_subject(self):
        subject = self.cleaned_data.get("subject", "")
        # The subject becomes a mail header: refused here, not when the letter is sent.
        if "\r" in subject or "\n" in subject:
            raise forms.ValidationError(_("Please keep the subject on one line."))
        if has_control_characters(subject):
            raise forms.ValidationError(
                _("The subject holds an invisible control character. Please type it again.")
            )
        return subject

    def clean_body(self):
        body = self.cleaned_data.get("body", "").replace("\r\n", "\n").strip()
        if self.action.is_letter and len(body.split()) < 5:
            raise forms.ValidationError(_("Your letter is too short to send. Please write a few sentences."))
        return body

    def clean_ref(self):
        return self.cleaned_data.get("ref", "").strip()

    def clean_utm_source(self):
        return clean_tracking_value(self.cleaned_data.get("utm_source", ""))

    def clean_utm_campaign(self):
        return clean_tracking_value(self.cleaned_data.get("utm_campaign", ""))

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
        if self.action.is_letter:
            # What is still a stand-in ("[your country]") is filled per recipient on delivery.
            words = stand_ins()
            for name in ("subject", "body"):
                if cleaned.get(name):
                    cleaned[name] = letters.restore_placeholders(cleaned[name], words)
        if self.action.is_letter and cleaned.get("country"):
            try:
                self.resolution = resolve_targets(
                    self.action, cleaned["country"], cleaned.get("postcode", ""), self.targets
                )
            except NoTarget as exc:
                self.add_error("country", str(exc))
        return cleaned
