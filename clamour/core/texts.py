"""Staff texts in several languages. A model's texts in its own language are its
fields; those in the site's other languages are kept in its JSON field `texts`
({"fr": {"title": …, …}, …}), edited in the admin language by language.

A language is used only once every text the model has in its own language is given in
it too: a page is never half in one language and half in another.
"""

import copy

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def texts_in(obj, code: str, fields) -> dict | None:
    """`obj`'s texts in language `code` ({field: text}), or None when one is missing."""
    given = (obj.texts or {}).get(code) or {}
    texts = {field: (given.get(field) or "").strip() for field in fields}
    if not any(texts.values()):
        return None
    wanted = [field for field in fields if (getattr(obj, field) or "").strip()]
    return texts if all(texts[field] for field in wanted) else None


def localised(obj, code: str, own_language: str, fields):
    """A copy of `obj` with its texts in language `code` where they are all given, else
    as they are; `shown_language` says which. `obj` itself is left as it was (it may
    be shared between threads)."""
    shown = copy.copy(obj)
    texts = texts_in(obj, code, fields) if code != own_language else None
    if texts is not None:
        for field, text in texts.items():
            setattr(shown, field, text)
    shown.shown_language = code if texts is not None else own_language
    shown.own_language = own_language
    shown.original = getattr(obj, "original", obj)
    return shown


def untranslated(shown, code: str) -> bool:
    """Whether any of `shown` (copies made by `localised`) has texts of its own that are
    not shown in language `code`: what staff are told about."""
    return any(item.shown_language != code
               and any((getattr(item, field) or "").strip() for field in item.TRANSLATED_FIELDS)
               for item in shown)


def missing_languages(obj, own_language: str, fields) -> list[str]:
    """The site's languages `obj` has no complete texts in."""
    return [code for code, _name in settings.LANGUAGES
            if code != own_language and texts_in(obj, code, fields) is None]


class TextsForm(forms.ModelForm):
    """Base of an admin form with a field per language and text (`title_fr` …);
    make one with `texts_form`."""

    text_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = self.instance.texts or {}
        for code, _name in settings.LANGUAGES:
            for field in self.text_fields:
                if f"{field}_{code}" in self.fields:
                    self.fields[f"{field}_{code}"].initial = (texts.get(code) or {}).get(field, "")

    def save(self, commit=True):
        texts = {}
        for code, _name in settings.LANGUAGES:
            given = {field: (self.cleaned_data.get(f"{field}_{code}") or "").strip()
                     for field in self.text_fields}
            if any(given.values()):
                texts[code] = given
        self.instance.texts = texts
        return super().save(commit)


def texts_form(base, text_fields: dict, named=False):
    """A subclass of `base` (a TextsForm) declaring a field per site language and text:
    `text_fields` maps each field to (label, one line or not). With `named`, each label
    says its language (for a form shown without the admin's fieldsets)."""
    attrs = {"text_fields": text_fields}
    for code, name in settings.LANGUAGES:
        for field, (label, one_line) in text_fields.items():
            widget = (forms.TextInput(attrs={"size": 80, "lang": code}) if one_line
                      else forms.Textarea(attrs={"rows": 6 if not named else 3, "lang": code}))
            if named:
                label = format_lazy("{} ({})", label, name)
            attrs[f"{field}_{code}"] = forms.CharField(label=label, required=False, widget=widget)
    return type(base.__name__, (base,), attrs)


class UpdateFormBase(TextsForm):
    """An update's form in the admin (a campaign's or a post's): its title and text in
    the other languages below its own."""

    class Meta:
        fields = ["published_at", "title", "body"]


UPDATE_TEXTS = {"title": (_("title"), True), "body": (_("text (Markdown)"), False)}


def update_form(model):
    """The admin form of `model`, a kind of dated update."""
    meta = type("Meta", (UpdateFormBase.Meta,), {"model": model})
    return texts_form(type("UpdateForm", (UpdateFormBase,), {"Meta": meta}), UPDATE_TEXTS)


def update_fieldsets(own_language: str) -> list:
    """An update's admin fieldsets: its own texts, then one folded section per other
    language."""
    return [(None, {"fields": ["published_at", "title", "body"]})] + texts_fieldsets(
        UPDATE_TEXTS, own_language, lambda code: True)


def texts_fieldsets(text_fields: dict, own_language: str, complete) -> list:
    """Admin fieldsets: one per site language other than `own_language`, folded when
    `complete(code)` says it has all its texts."""
    return [
        (_("In %(language)s") % {"language": name}, {
            "fields": [f"{field}_{code}" for field in text_fields],
            "description": _("Leave empty to show the main texts on this language's pages. "
                             "A language is used only once all its texts are given."),
            "classes": ["collapse"] if complete(code) else [],
        })
        for code, name in settings.LANGUAGES if code != own_language
    ]
