"""A Word draft circulated with tracked revisions and footnotes: read with the
revisions accepted, the footnotes attached to their provisions as notes, and, when
the analyst asks, its deletions and insertions kept as the draft's own redline."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clamour.testing.formats import FOOTNOTE_TEXT, to_word
from clamour.testing.treaties import FINAL, MARCH, add_draft, make_treaty
from clamour.testing.treaties import preview_hidden as _hidden
from clamour.testing.treaties import preview_post as _post
from clamour.testing.treaties import preview_structure as _structure
from clamour.treaties.models import Draft

pytestmark = pytest.mark.django_db


def _preview_and_store(client, treaty, **store_fields):
    data = to_word(FINAL, tracked=True)
    response = _post(client, treaty, "preview", file=SimpleUploadedFile("L3.docx", data))
    assert response.status_code == 200
    page = response.content.decode()
    response = _post(
        client,
        treaty,
        "store",
        preview_token=_hidden(page, "preview_token"),
        structure=_structure(page),
        **store_fields,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return page, Draft.objects.get()


def test_the_drafts_own_tracked_changes_are_kept_on_request_and_shown(analyst_client, _media_in_tmp):
    treaty = make_treaty()
    page, draft = _preview_and_store(analyst_client, treaty, keep_redline="on")
    # The preview says what the file carries before anything is stored.
    assert "provisions have tracked revisions: they are read with them accepted" in page
    assert "1 footnote is kept out of the text and attached to its provision as a note." in page

    kept = list(draft.provisions.exclude(tracked_redline="").order_by("order"))
    assert len(kept) >= 10
    for row in kept:
        assert "<del>" in row.tracked_redline
        # The provision's own text is the text with the revisions accepted.
        assert "<del>" not in row.text and "<ins>" not in row.text
    unrevised = draft.provisions.get(pid="2.1")
    assert unrevised.tracked_redline == ""
    noted = list(draft.provisions.exclude(notes=""))
    assert [r.note_list for r in noted] == [[FOOTNOTE_TEXT]]
    assert not draft.provisions.filter(text__contains=FOOTNOTE_TEXT).exists()

    breakdown = analyst_client.get(draft.get_absolute_url()).content.decode()
    assert "The draft as circulated: its own tracked changes and notes" in breakdown
    assert f"{kept[0].name} as circulated, with the draft's own tracked changes" in breakdown
    assert kept[0].tracked_redline in breakdown
    assert "Note in the draft:" in breakdown and FOOTNOTE_TEXT in breakdown
    staff_page = analyst_client.get(f"/treaties/staff/drafts/{draft.pk}/").content.decode()
    assert kept[0].tracked_redline in staff_page

    # With an earlier draft, the comparison's changes carry them too.
    add_draft(treaty, MARCH, "March 2013", date(2013, 3, 1))
    breakdown = analyst_client.get(draft.get_absolute_url()).content.decode()
    assert "What changed since March 2013" in breakdown
    assert breakdown.count(kept[0].tracked_redline) >= 1
    assert "The draft as circulated: its own tracked changes and notes" in breakdown
    assert FOOTNOTE_TEXT in breakdown


def test_without_the_choice_only_the_accepted_text_is_kept(analyst_client, _media_in_tmp):
    treaty = make_treaty()
    _page, draft = _preview_and_store(analyst_client, treaty)
    assert not draft.provisions.exclude(tracked_redline="").exists()
    # Footnotes are notes either way: never part of the text.
    assert [r.note_list for r in draft.provisions.exclude(notes="")] == [[FOOTNOTE_TEXT]]
    breakdown = analyst_client.get(draft.get_absolute_url()).content.decode()
    assert "own tracked changes" not in breakdown.replace("its own tracked changes and notes", "")
