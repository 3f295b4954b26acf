import hashlib
import secrets

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clamour.core.fields import EmailAddressField
from clamour.core.forms import PlainErrorsForm
from clamour.core.texts import TextsForm, texts_form
from clamour.lib.alignment import ParseError, normalise_text, parse_bytes, parse_text
from clamour.lib.alignment.htmltext import looks_like_html
from clamour.lib.countries import COUNTRY_CHOICES

from .models import (
    PUBLIC_TEXTS_LANGUAGE,
    RESERVED_SLUGS,
    SUBSCRIBE_CONSENT_WORDING,
    Ask,
    Draft,
    Position,
    Provision,
    Treaty,
    Verdict,
)


def upload_max_bytes() -> int:
    """The largest draft an analyst may upload (TREATY_UPLOAD_MAX_BYTES)."""
    return int(settings.TREATY_UPLOAD_MAX_BYTES)


class TreatyFormBase(TextsForm):
    class Meta:
        model = Treaty
        fields = ["title", "slug", "description", "campaign", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.text_fields:  # its own language is the main fields above
            self.fields.pop(f"{field}_{PUBLIC_TEXTS_LANGUAGE}", None)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("This address is used by the tracker itself; please choose another.")
            )
        return slug


# The treaty's name and introduction in the other languages, on the staff pages and in
# the admin alike.
TREATY_TEXTS = {"title": (_("title"), True), "description": (_("description"), False)}
TreatyForm = texts_form(TreatyFormBase, TREATY_TEXTS, named=True)


SOURCE_KINDS = {
    "md": Draft.Source.MARKDOWN,
    "markdown": Draft.Source.MARKDOWN,
    "txt": Draft.Source.TEXT,
    "text": Draft.Source.TEXT,
    "docx": Draft.Source.DOCX,
    "pdf": Draft.Source.PDF,
    "html": Draft.Source.HTML,
    "htm": Draft.Source.HTML,
}


def _carry_notes_and_revisions(read, corrected) -> None:
    """The structure as text holds neither footnotes nor tracked revisions: give
    each provision of the corrected structure those of the provision with the
    same id as read from the file (the revisions only while its words are the same)."""
    by_id = {p.id: p for p in read.provisions()}
    for p in corrected.provisions():
        original = by_id.get(p.id)
        if original is None:
            continue
        p.notes = list(original.notes)
        if original.before and normalise_text(original.full_text) == normalise_text(p.full_text):
            p.before = original.before


class DraftUploadForm(forms.Form):
    """A new draft: a file (Markdown, text, DOCX, PDF) or pasted text. Cleaning parses
    it, so an unusable upload is refused here, before anything is stored."""

    label = forms.CharField(
        label=_("Label"), max_length=200, help_text=_("For example “Chair's draft, 24 July 2012”.")
    )
    date = forms.DateField(
        label=_("Date of the draft"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Markdown (.md), plain text (.txt), Word (.docx), PDF or HTML."),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,.text,.docx,.pdf,.html,.htm"}),
    )
    text = forms.CharField(
        label=_("…or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown."),
    )
    keep_redline = forms.BooleanField(
        label=_("Keep the draft's own tracked changes"),
        required=False,
        help_text=_(
            "For a Word draft circulated with revisions. The text is always read with the "
            "revisions accepted; tick this to also keep its deletions and insertions, shown "
            "with each provision as the draft's own redline."
        ),
    )
    # Set by a preview: the previewed file (kept in the cache, not stored) and
    # the structure as read, which the analyst may correct before storing.
    preview_token = forms.CharField(required=False, widget=forms.HiddenInput)
    structure = forms.CharField(
        label=_("Structure to store"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "The draft as read, one provision per paragraph. Correct a number, a heading or a "
            "paragraph break here and the corrected structure is stored; the original file is "
            "kept as it is."
        ),
    )

    PREVIEW_SECONDS = 3600

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.max_bytes = upload_max_bytes()
        self.fields["file"].help_text = _(
            "Markdown (.md), plain text (.txt), Word (.docx), PDF or HTML, up to %(size)s."
        ) % {"size": filesizeformat(self.max_bytes)}
        self.document = None
        self.source = {}

    def _preview_key(self, token: str) -> str:
        return f"treaties:preview:{getattr(self.user, 'pk', None)}:{token}"

    def keep_for_preview(self) -> str:
        """Keep the uploaded file for the store step (one hour, in the cache, not
        the database); return the token the page carries."""
        upload = self.source.get("upload")
        if upload is None:
            return ""
        token = secrets.token_urlsafe(18)
        upload.seek(0)
        cache.set(self._preview_key(token), (upload.name, upload.read()), self.PREVIEW_SECONDS)
        upload.seek(0)
        return token

    def forget_preview(self) -> None:
        token = self.cleaned_data.get("preview_token") if hasattr(self, "cleaned_data") else ""
        if token:
            cache.delete(self._preview_key(token))

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "")
        token = cleaned.get("preview_token") or ""
        structure = (cleaned.get("structure") or "").strip()
        if upload and text.strip():
            raise forms.ValidationError(_("Upload a file or paste the text, not both."))
        if not upload and not text.strip() and token:
            kept = cache.get(self._preview_key(token))
            if kept is None:
                self.add_error("file", _("The preview has expired; please choose the file again."))
                return cleaned
            upload = SimpleUploadedFile(kept[0], kept[1])
        elif upload:
            structure = ""  # a new file: a structure from an earlier preview does not apply
        if upload:
            self._parse_upload(upload)
        elif text.strip():
            self._parse_pasted(text)
        elif not self.errors.get("file"):
            self.add_error("file", _("Choose the draft's file, or paste its text below."))
        if structure and self.document is not None:
            try:
                corrected = parse_text(structure, max_chars=self.max_bytes)
            except ParseError as exc:
                self.add_error(
                    "structure", _("We could not read this structure: %(reason)s") % {"reason": exc}
                )
            else:
                _carry_notes_and_revisions(self.document, corrected)
                self.document = corrected
        return cleaned

    def _parse_upload(self, upload):
        if upload.size > self.max_bytes:
            self.add_error(
                "file",
                _("This file is too large (%(size)s); the limit is %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(self.max_bytes)},
            )
            return
        upload.seek(0)
        data = raw = upload.read()
        if not data.strip():
            self.add_error("file", _("This file is empty."))
            return
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            # A text file saved as "Unicode" (UTF-16) on Windows: the engine reads
            # UTF-8/cp1252 only and would call it binary, so transcode it first.
            try:
                data = data.decode("utf-16").encode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            self.document = parse_bytes(data, upload.name or "", max_bytes=self.max_bytes)
        except ParseError as exc:
            self.add_error("file", _("We could not read this draft: %(reason)s") % {"reason": exc})
            return
        extension = (upload.name or "").rsplit(".", 1)[-1].lower()
        kind = (
            "pdf"
            if data.startswith(b"%PDF")
            else "docx"
            if data.startswith(b"PK\x03\x04")
            else "html"
            if looks_like_html(data)
            else SOURCE_KINDS.get(extension, Draft.Source.TEXT)
        )
        upload.seek(0)
        self.source = {
            "source_kind": SOURCE_KINDS.get(kind, kind),
            "upload": upload,
            "source_name": upload.name or "draft",
            "source_size": len(raw),
            "source_sha256": hashlib.sha256(raw).hexdigest(),
        }

    def _parse_pasted(self, text):
        data = text.encode()
        if len(data) > self.max_bytes:
            self.add_error(
                "text",
                _("This text is too long (%(size)s); the limit is %(max)s.")
                % {"size": filesizeformat(len(data)), "max": filesizeformat(self.max_bytes)},
            )
            return
        try:
            self.document = parse_text(text)
        except ParseError as exc:
            self.add_error("text", _("We could not read this draft: %(reason)s") % {"reason": exc})
            return
        self.source = {
            "source_kind": Draft.Source.PASTED,
            "source_text": text,
            "source_size": len(data),
            "source_sha256": hashlib.sha256(data).hexdigest(),
        }


class DraftForm(forms.ModelForm):
    class Meta:
        model = Draft
        fields = ["label", "date", "summary"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = Provision
        fields = ["pid", "kind", "label", "article", "article_title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def clean_pid(self):
        pid = self.cleaned_data["pid"].strip()
        clash = Provision.objects.filter(draft=self.instance.draft, pid=pid).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("Another provision of this draft already has the id %(pid)s.") % {"pid": pid}
            )
        return pid

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip("\n")
        if not text.strip():
            raise forms.ValidationError(_("A provision needs some text."))
        return text


class SplitForm(forms.Form):
    first_text = forms.CharField(label=_("First part"), widget=forms.Textarea(attrs={"rows": 6}))
    second_pid = forms.CharField(
        label=_("Id of the second part"),
        max_length=40,
        help_text=_("For example 5.3; it must not be used yet in this draft."),
    )
    second_label = forms.CharField(
        label=_("Number of the second part"), max_length=20, required=False
    )
    second_text = forms.CharField(label=_("Second part"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, provision, **kwargs):
        super().__init__(*args, **kwargs)
        self.provision = provision

    def clean_second_pid(self):
        pid = self.cleaned_data["second_pid"].strip()
        if Provision.objects.filter(draft=self.provision.draft, pid=pid).exists():
            raise forms.ValidationError(
                _("This draft already has a provision %(pid)s.") % {"pid": pid}
            )
        return pid

    def clean(self):
        cleaned = super().clean()
        for name in ("first_text", "second_text"):
            if name in cleaned:
                cleaned[name] = cleaned[name].replace("\r\n", "\n").strip("\n")
                if not cleaned[name].strip():
                    self.add_error(name, _("Both parts need some text."))
        return cleaned


def provision_choices(draft):
    return [(p.pk, f"{p.pid} — {p.flat_text[:90]}") for p in draft.provisions.order_by("order")]


class PinForm(forms.Form):
    """“These provisions match”: one or more old ones → one or more new ones."""

    old = forms.TypedMultipleChoiceField(label=_("In the older draft"), coerce=int)
    new = forms.TypedMultipleChoiceField(label=_("In the newer draft"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, old_draft, new_draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = provision_choices(old_draft)
        self.fields["new"].choices = provision_choices(new_draft)
        self.fields["old"].widget.attrs["size"] = self.fields["new"].widget.attrs["size"] = 8


class ForbidForm(forms.Form):
    """“These do not match”: a match the aligner proposed, by its old and new ids."""

    old = forms.TypedMultipleChoiceField(coerce=int)
    new = forms.TypedMultipleChoiceField(coerce=int)

    def __init__(self, *args, old_draft, new_draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = [(p.pk, p.pk) for p in old_draft.provisions.all()]
        self.fields["new"].choices = [(p.pk, p.pk) for p in new_draft.provisions.all()]


class AskFormBase(TextsForm):
    class Meta:
        model = Ask
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.text_fields:  # its own language is the main fields above
            self.fields.pop(f"{field}_{PUBLIC_TEXTS_LANGUAGE}", None)


# The ask's texts in the other languages, the same on the staff pages and in the admin.
ASK_TEXTS = {"title": (_("Ask"), True), "description": (_("Why it matters"), False)}
AskForm = texts_form(AskFormBase, ASK_TEXTS, named=True)


class AttachForm(forms.Form):
    provision = forms.TypedChoiceField(label=_("Provision"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.fields["provision"].choices = provision_choices(draft)


class VerdictsForm(forms.Form):
    """One verdict and rationale per ask, for one draft."""

    def __init__(self, *args, asks, verdicts, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks = asks
        choices = [("", _("— no verdict yet —"))] + list(Verdict.Status.choices)
        for ask in asks:
            verdict = verdicts.get(ask.pk)
            self.fields[f"status_{ask.pk}"] = forms.ChoiceField(
                label=_("Verdict"),
                choices=choices,
                required=False,
                initial=verdict.status if verdict else "",
            )
            self.fields[f"rationale_{ask.pk}"] = forms.CharField(
                label=_("Public rationale"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=verdict.rationale if verdict else "",
            )
            for code, name in self.other_languages():
                self.fields[f"rationale_{ask.pk}_{code}"] = forms.CharField(
                    label=format_lazy("{} ({})", _("Public rationale"), name),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
                    initial=((verdict.texts or {}).get(code) or {}).get("rationale", "")
                    if verdict else "",
                )

    @staticmethod
    def other_languages():
        return [(code, name) for code, name in settings.LANGUAGES
                if code != PUBLIC_TEXTS_LANGUAGE]

    def rows(self):
        for ask in self.asks:
            yield ask, self[f"status_{ask.pk}"], self[f"rationale_{ask.pk}"], [
                self[f"rationale_{ask.pk}_{code}"] for code, _name in self.other_languages()]

    def translations(self, ask) -> dict:
        """The rationale for `ask` in the other languages, as `Verdict.texts` keeps it."""
        found = {}
        for code, _name in self.other_languages():
            text = self.cleaned_data.get(f"rationale_{ask.pk}_{code}", "").strip()
            if text:
                found[code] = {"rationale": text}
        return found

    def clean(self):
        cleaned = super().clean()
        for ask in self.asks:
            if cleaned.get(f"rationale_{ask.pk}", "").strip() and not cleaned.get(
                f"status_{ask.pk}"
            ):
                self.add_error(f"status_{ask.pk}", _("Choose a verdict for this rationale."))
        return cleaned


class PositionForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("Source"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A link to the statement or record."),
    )

    class Meta:
        model = Position
        fields = ["ask", "country", "stance", "date", "source_url", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, treaty, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ask"].queryset = treaty.asks.all()
        self.fields["country"].choices = [("", _("Choose a country"))] + COUNTRY_CHOICES


class PositionImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    ask = forms.ModelChoiceField(
        label=_("Ask"),
        queryset=Ask.objects.none(),
        required=False,
        help_text=_("For rows without an “ask” column."),
    )

    def __init__(self, *args, treaty, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ask"].queryset = treaty.asks.all()


class SubscribeForm(PlainErrorsForm):
    required_messages = {
        "email": _("Please give your email address."),
        "consent": _("Please tick the box, so that we may email you."),
    }

    email = EmailAddressField(label=_("Your email"))
    consent = forms.BooleanField(label=SUBSCRIBE_CONSENT_WORDING)


class CompareForm(PlainErrorsForm):
    required_messages = {"old": _("Please choose a draft to compare."),
                         "new": _("Please choose a draft to compare it with.")}

    old = forms.ChoiceField(label=_("Compare"))
    new = forms.ChoiceField(label=_("with"))

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.slug, f"{d.label} ({d.date:%-d %b %Y})") for d in drafts]
        self.fields["old"].choices = self.fields["new"].choices = choices
        # Unless told otherwise: the latest published draft against the one before it.
        published = [d for d in drafts if d.published_at is not None] or list(drafts)
        if len(published) > 1:
            self.fields["old"].initial = published[-2].slug
            self.fields["new"].initial = published[-1].slug
