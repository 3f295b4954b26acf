"""Every public string is marked for translation, and every catalogue is complete."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "clamour"
LOCALE = ROOT / "locale"

# Pages for staff only, which stay English for now (README, "Languages").
STAFF_TEMPLATES = (
    "treaties/templates/treaties/staff/",
    "comments/templates/comments/moderate/",
    "staffauth/templates/",
    "workspace/templates/",
    "mailings/templates/",
    "/templates/admin/",
)
# Text a reader sees or hears in an attribute.
SPOKEN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description", "content")
# Names that are the same in every language.
NAMES = {"Mastodon", "mastodon.social"}


def public_templates():
    for path in sorted(ROOT.glob("**/templates/**/*")):
        relative = str(path.relative_to(ROOT))
        if path.is_file() and path.suffix in (".html", ".txt") and not any(
                part in "/" + relative for part in STAFF_TEMPLATES):
            yield path


def unmarked_text(source: str, html: bool) -> list[str]:
    """Words in a template that are not inside {% translate %} or {% blocktranslate %}."""
    text = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)  # tags, {% translate "…" %} included
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    found = []
    if html:
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<!--.*?-->|<!doctype[^>]*>", " ", text, flags=re.S | re.I)
        for tag in re.findall(r"<[^>]+>", text):
            for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag):
                if (name in SPOKEN_ATTRIBUTES and has_letters(value) and value not in NAMES
                        and (name != "content" or 'name="description"' in tag)):
                    found.append(f'{name}="{value}"')
        text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"&[#\w]+;", " ", text)
    found += [word for word in text.split()
              if has_letters(word) and word not in NAMES and not is_address(word)]
    return found


def has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


def is_address(word: str) -> bool:
    """Part of a link written out (`?ref=`, `/feed/`, `https://…`)."""
    return word.startswith(("?", "/", "http")) or "=" in word


def test_a_string_not_marked_for_translation_is_found():
    assert unmarked_text('<p>{% translate "Hello" %} world</p>', html=True) == ["world"]
    assert unmarked_text('<img alt="A map">', html=True) == ['alt="A map"']
    assert unmarked_text('{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}\n'
                         '<a title="{% translate \'Home\' %}">{{ x }}</a> · 3', html=True) == []
    assert unmarked_text("{% translate 'Hello' %}\nThanks, {{ name }}", html=False) == ["Thanks,"]


@pytest.mark.parametrize("path", list(public_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_public_templates_mark_every_string_for_translation(path):
    assert unmarked_text(path.read_text(), html=path.suffix == ".html") == []


def catalogues():
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_every_language_but_english_has_a_catalogue():
    assert sorted(path.parts[-3] for path in catalogues()) == sorted(
        code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: p.parts[-3])
def test_catalogues_are_complete(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    for entry in catalogue.translated_entries():
        # The same placeholders, so that no translation breaks a page or an email.
        wanted = set(re.findall(r"%\(\w+\)[sd]|%%|(?<!%)%[sd]|\{\w+\}", entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            got = set(re.findall(r"%\(\w+\)[sd]|%%|(?<!%)%[sd]|\{\w+\}", translation))
            assert got <= wanted, (entry.msgid, translation)
            if not entry.msgid_plural:
                assert got == wanted, (entry.msgid, translation)
