import time

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from clamour.core.fields import EmailAddressField
from clamour.core.forms import PlainErrorsForm, plain_errors
from clamour.core.signedlinks import SignedLink
from clamour.lib.spam import find_links
from clamour.lib.unicodetext import clean_line, clean_name, clean_text

from .models import BlockedTerm, Flag

FORM_MAX_AGE = 2 * 86400
STARTED = SignedLink("clamour.comments.started", max_age=FORM_MAX_AGE)


def started_token(now: float | None = None) -> str:
    """When the form was shown, signed so that nobody can claim an earlier time."""
    return STARTED.make(int(now if now is not None else time.time()))


class CommentForm(forms.Form):
    """A comment. Guests also give a name and an email address they then confirm.

    `website` is a honeypot: hidden from people, filled in by bots. `started` says when
    the form was shown; a form sent back within COMMENTS_MIN_SECONDS was not typed.
    """

    prefix = "comment"  # field names and ids never clash with a form beside it (the action form)

    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("Shown with your comment."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(
        label=_("Your email"),
        help_text=_("Never shown. We send you a link to confirm it once."),
    )
    notify_replies = forms.BooleanField(label=_("Email me when someone replies"), required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, guest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        self.fields["body"].max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].validators.append(MaxLengthValidator(settings.COMMENTS_MAX_LENGTH))
        self.fields["started"].initial = started_token()
        if not guest:
            del self.fields["name"]
            del self.fields["email"]
        plain_errors(self.fields, {
            "body": _("Please write a comment."),
            "name": _("Please tell us your name."),
            "email": _("Please give your email address, so we can send you a link to confirm it."),
            "started": _("Something went wrong with this form. Please check your comment and send it again."),
        })

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"])
        if len(body) < 2:
            raise forms.ValidationError(_("Please write a comment."))
        return body

    def clean_name(self):
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        if find_links(name) or "://" in name:
            raise forms.ValidationError(_("Please give your name, not a web address."))
        return name

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please leave this field empty."))
        return ""

    def clean_started(self):
        value = self.cleaned_data["started"]
        started = STARTED.read_current(value)
        if started is None or time.time() - started > FORM_MAX_AGE:
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = started_token()
            raise forms.ValidationError(
                _("This form is too old. Please check your comment and send it again.")
            )
        return started

    def clean(self):
        cleaned = super().clean()
        started = cleaned.get("started")
        # Only when nothing else is wrong: the other messages already make the person
        # look again, and "too quick" beside them reads as a second, unrelated fault.
        if (started is not None and not self.errors
                and time.time() - started < settings.COMMENTS_MIN_SECONDS):
            self.add_error("started", _("That was quick! Please check your comment and send it again."))
        return cleaned


class FlagForm(PlainErrorsForm):
    required_messages = {"reason": _("Please choose what is wrong with the comment.")}

    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything moderators should know"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note", ""))


class ModerationForm(forms.Form):
    ACTION_CHOICES = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("spam", _("Mark as spam")),
        ("ban", _("Ban the commenter")),
    ]
    action = forms.ChoiceField(choices=ACTION_CHOICES)
    ids = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("Choose at least one comment.")}
    )
    next = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole numbers; which comments exist is checked by the view.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()


class BlockedTermForm(forms.ModelForm):
    class Meta:
        model = BlockedTerm
        fields = ["kind", "value"]

    def clean(self):
        cleaned = super().clean()
        value = clean_line(cleaned.get("value", "")).lower()
        if cleaned.get("kind") == BlockedTerm.Kind.DOMAIN:
            value = value.removeprefix("http://").removeprefix("https://").split("/")[0].strip(".")
            if "." not in value:
                self.add_error("value", _("A domain looks like example.com."))
        if not value:
            self.add_error("value", _("Please enter a word, phrase or domain."))
        elif BlockedTerm.objects.filter(kind=cleaned.get("kind"), value=value).exists():
            self.add_error("value", _("That is already on the list."))
        cleaned["value"] = value
        self.instance.value = value
        return cleaned


class BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (for other moderators)"), max_length=300, required=False
    )
