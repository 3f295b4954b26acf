
"""Test data for the treaty tracker: the real 2013 treaty text, the two illustrative
earlier drafts written for the demo, and small builders."""

import html
import re
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clamour.lib.alignment import parse_text
from clamour.treaties import tracker
from clamour.treaties.models import Comparison, Draft, Lineage, Provision, Treaty

DATA = Path(__file__).resolve().parents[1] / "treaties" / "data"
FINAL = (DATA / "att-2013-final.md").read_text(encoding="utf-8")
MARCH = (DATA / "att-2013-03-illustrative.md").read_text(encoding="utf-8")
JULY = (DATA / "att-2012-07-illustrative.md").read_text(encoding="utf-8")

# A small treaty for tests that need drafts but not the whole ATT.
SMALL_OLD = """# A Small Treaty

The States Parties to this Treaty,

Recognizing the need for rules on the arms trade,

Have agreed as follows:

## Article 1 — Scope

1. This Treaty applies to all conventional arms.

2. It does not apply to ammunition.

## Article 2 — Exports

Each State Party shall assess every export of conventional arms against the criteria in this Treaty.

## Article 3 — Ammunition

Each State Party shall monitor the export of ammunition for the conventional arms covered by Article 1.
"""
SMALL_NEW = SMALL_OLD.replace("monitor the export", "regulate the export").replace(
    "2. It does not apply to ammunition.\n\n", ""
)


def make_treaty(slug="att", campaign=None, is_public=True) -> Treaty:
    return Treaty.objects.create(
        slug=slug,
        title="The Arms Trade Treaty",
        description="Tracking the ATT.",
        campaign=campaign,
        is_public=is_public,
    )


def add_draft(treaty, text, label, day, published=False) -> Draft:
    draft = tracker.create_draft(
        treaty,
        label=label,
        date=day,
        doc=parse_text(text),
        source_kind=Draft.Source.MARKDOWN,
        source_text=text,
    )
    if published:
        tracker.publish(draft)
    return draft


def three_drafts(treaty, published=False):
    return (
        add_draft(treaty, JULY, "July 2012", date(2012, 7, 26), published),
        add_draft(treaty, MARCH, "March 2013", date(2013, 3, 27), published),
        add_draft(treaty, FINAL, "Final", date(2013, 4, 2), published),
    )


def upload(
    client,
    treaty,
    content: bytes | None = None,
    name="draft.md",
    label="New draft",
    day="2013-03-27",
    text=None,
    **extra,
):
    data = {"label": label, "date": day, "summary": "", **extra}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    if text is not None:
        data["text"] = text
    return client.post(reverse("treaties:staff_upload", args=[treaty.slug]), data)


def provision(draft, pid):
    return draft.provisions.get(pid=pid)


def nothing_stored(media_root):
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    return (
        Draft.objects.count(),
        Provision.objects.count(),
        Lineage.objects.count(),
        Comparison.objects.count(),
        files,
    ) == (0, 0, 0, 0, [])


def preview_post(client, treaty, action, **fields):
    """The upload form as the analyst posts it: preview, correct or store."""
    data = {"label": "L.3", "date": "2013-03-27", "summary": "", "action": action, **fields}
    return client.post(reverse("treaties:staff_upload", args=[treaty.slug]), data)


def preview_hidden(page: str, name: str) -> str:
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    return m.group(1) if m else ""


def preview_structure(page: str) -> str:
    m = re.search(r'<textarea[^>]*name="structure"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(m.group(1)).strip() if m else ""
