from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clamour.actions.models import Action, Submission, Target
from clamour.campaigns.models import Campaign, Update
from clamour.core.fields import EmailAddressField
from clamour.lib.countries import COUNTRY_CHOICES

from .exports import Filters

LETTER_FIELDS = ["letter_subject", "letter_template", "targeting", "fallback"]
PETITION_FIELDS = ["petition_text"]
COMMON_ACTION_FIELDS = ["title", "intro", "goal", "deadline", "require_confirmation",
                        "ask_postcode", "consent_wording"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "slug", "summary", "story"]
        widgets = {"story": forms.Textarea(attrs={"rows": 10})}


class ActionForm(forms.ModelForm):
    """The action's settings: only the fields its kind needs."""

    class Meta:
        model = Action
        fields = COMMON_ACTION_FIELDS + LETTER_FIELDS + PETITION_FIELDS
        widgets = {"deadline": DateTimeInput(), "letter_template": forms.Textarea(attrs={"rows": 14}),
                   "intro": forms.Textarea(attrs={"rows": 3}),
                   "consent_wording": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in PETITION_FIELDS if kind == Action.Kind.LETTER else LETTER_FIELDS:
            del self.fields[name]
        if kind == Action.Kind.LETTER:
            self.fields["letter_subject"].required = True
            self.fields["letter_template"].required = True
        else:
            self.fields["petition_text"].required = True
        self.fields["deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_goal(self):
        goal = self.cleaned_data["goal"]
        if goal < 1:
            raise forms.ValidationError(_("The goal must be at least 1."))
        return goal

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and not self.instance.pk and deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do supporters do?"), choices=Action.Kind.choices,
                             widget=forms.RadioSelect, initial=Action.Kind.LETTER)


class DuplicateForm(forms.Form):
    title = forms.CharField(label=_("Headline of the copy"), max_length=200)
    slug = forms.SlugField(label=_("Address of the copy"), max_length=50,
                           help_text=_("Letters, digits and hyphens; used in the page address."))

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Campaign.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another campaign already uses this address."))
        return slug


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Campaign.Status.choices)


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["name", "title", "email", "country", "is_default"]
        field_classes = {"email": EmailAddressField}


class TargetImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"),
                           help_text=_("Columns: name, email, title, country, default (yes/no)."))
    replace = forms.BooleanField(label=_("Replace the current targets"), required=False)


class PreviewForm(forms.Form):
    country = forms.ChoiceField(label=_("Preview for a supporter in"), choices=COUNTRY_CHOICES)
    letter_subject = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    letter_template = forms.CharField(required=False, widget=forms.HiddenInput)


class UpdateForm(forms.ModelForm):
    class Meta:
        model = Update
        fields = ["title", "body", "published_at"]
        widgets = {"published_at": DateTimeInput(), "body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), choices=[("supporters", _("Supporters")),
                                                         ("actions", _("Actions"))])
    country = forms.ChoiceField(label=_("Country"), required=False,
                                choices=[("", _("All countries"))] + COUNTRY_CHOICES)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + Submission.Status.choices)
    consent = forms.ChoiceField(label=_("Consent to hear from us"), required=False,
                                choices=[("", _("Either")), ("yes", _("Gave consent")),
                                         ("no", _("Did not"))])
    since = forms.DateField(label=_("From (date)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until (date, included)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            raise forms.ValidationError(_("The “from” date is after the “until” date."))
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(country=data["country"], status=data["status"], consent=data["consent"],
                       since=data["since"], until=data["until"])
