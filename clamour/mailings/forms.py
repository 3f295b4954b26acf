from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clamour.actions.models import Action

from .models import Mailing


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ["subject", "body", "action", "country", "confirmed", "not_action",
                  "link_action", "hourly_cap"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = Action.objects.select_related("campaign").order_by("campaign__title")
        for name in ("action", "not_action", "link_action"):
            self.fields[name].queryset = actions
            self.fields[name].label_from_instance = lambda a: f"{a.campaign.title}: {a.title}"

    def clean_hourly_cap(self):
        cap = self.cleaned_data["hourly_cap"]
        if cap is not None and cap < 1:
            raise forms.ValidationError(_("At least one message an hour, or leave it empty."))
        return cap

    def clean(self):
        data = super().clean()
        if data.get("action") and data.get("action") == data.get("not_action"):
            self.add_error("not_action", _("Choose a different action from the one the "
                                           "audience took, or leave this empty."))
        return data


class SendForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Send at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Empty to send now. The audience is taken at that moment."))

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when is not None and when < timezone.now():
            raise forms.ValidationError(_("That time has passed: leave it empty to send now."))
        return when
