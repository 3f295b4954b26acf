"""Footnotes in PDF and HTML drafts: kept out of the provision text (reference
numbers too) and attached as notes to the provision that refers to them, as
they are for Word drafts."""

from __future__ import annotations

from pathlib import Path

import pytest

from clamour.lib.alignment import parse_bytes, parse_text
from clamour.lib.alignment.parse import _attach_footnotes, _lines_from_text, _split_footnotes
from clamour.testing.drafts import signature
from clamour.testing.formats import NOTE_STYLES, to_html, to_un_pdf

ATT = (Path(__file__).parent / "data" / "att-2013-final.md").read_text(encoding="utf-8")

# Official wording of the treaty; the notes are a secretariat's, as drafts carry them.
NOTE_1 = "See document A/CONF.192/15, chap. IV, para. 24."
NOTE_2 = "See General Assembly resolution 46/36 L of 9 December 1991."
# PP8 ("... in All Its Aspects, as well as ...") and Article 5.3 (different pages).
APART = (("Light Weapons in All Its Aspects", NOTE_1), ("United Nations Register of Conventional Arms", NOTE_2))
# Articles 5.2 and 5.3: two notes at the foot of one page.
TOGETHER = (("including a national control list", NOTE_1), ("United Nations Register of Conventional Arms", NOTE_2))


@pytest.fixture(scope="module")
def att():
    return parse_text(ATT)


def _noted(doc) -> dict[str, list[str]]:
    return {p.id: p.notes for p in doc.provisions() if p.notes}


def _nowhere_in_text(doc, *texts: str) -> bool:
    return all(t not in p.full_text for p in doc.provisions() for t in texts)


@pytest.mark.parametrize(
    ("footnotes", "expected", "rule"),
    [
        (APART, {"PP8": [NOTE_1], "5.3": [NOTE_2]}, "line"),
        (TOGETHER, {"5.2": [NOTE_1], "5.3": [NOTE_2]}, "line"),
        (TOGETHER, {"5.2": [NOTE_1], "5.3": [NOTE_2]}, "text"),
    ],
)
def test_pdf_footnotes_become_notes_of_the_provision_that_refers_to_them(att, footnotes, expected, rule) -> None:
    import io

    import pypdf

    data = to_un_pdf(ATT, footnotes=footnotes, footnote_rule=rule)
    pages = [p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    # The file really prints the notes at a page's foot and raised numbers in the text.
    assert any(f"1 {NOTE_1}" in p for p in pages) and any(f"2 {NOTE_2}" in p for p in pages)
    together = footnotes is TOGETHER
    assert sum(f"1 {NOTE_1}" in p and f"2 {NOTE_2}" in p for p in pages) == (1 if together else 0)
    doc = parse_bytes(data, "L3.pdf")
    assert _noted(doc) == expected
    assert _nowhere_in_text(doc, NOTE_1, NOTE_2, "A/CONF.192", "Aspects1", "list1", "Arms2")
    # Same provisions, ids and texts as the Markdown: the reference digits are gone.
    assert signature(doc) == signature(att)
    assert not any("Footnote" in w for w in doc.warnings)


@pytest.mark.parametrize("style", NOTE_STYLES)
def test_html_footnotes_become_notes_of_the_provision_that_refers_to_them(att, style: str) -> None:
    page = to_html(ATT, footnotes=APART, note_style=style)
    assert NOTE_1 in page and ("<sup>2</sup>" in page if style == "hr" else 'href="#fn2"' in page)
    doc = parse_bytes(page.encode(), "treaty.html")
    assert _noted(doc) == {"PP8": [NOTE_1], "5.3": [NOTE_2]}
    assert _nowhere_in_text(doc, NOTE_1, NOTE_2, "A/CONF.192", "Aspects1", "Arms2")
    assert signature(doc) == signature(att)


def test_html_notes_as_word_saves_them_and_links_that_are_not_notes() -> None:
    # Word's "Save as web page": the reference is a link in a styled span (no
    # <sup>) to a named anchor inside the note, which links back.
    page = (
        "<html><body><h2>Article 1</h2>"
        '<p>1. The Parties shall cooperate<a href="#_ftn1" name="_ftnref1"><span class="MsoFootnoteReference">'
        "[1]</span></a> and report under <a href=\"#art2\">article 2</a>.</p>"
        '<p>2. They shall meet<a href="#_ftn2" name="_ftnref2"><span>[2]</span></a> yearly.</p>'
        '<h2 id="art2">Article 2</h2><p>The Secretariat shall keep the reports.</p>'
        '<div style="mso-element:footnote-list"><hr align="left" size="1" width="33%">'
        '<div style="mso-element:footnote" id="ftn1"><p class="MsoFootnoteText"><a href="#_ftnref1" name="_ftn1">'
        "<span>[1]</span></a> See document A/CONF.217/4.</p></div>"
        '<div style="mso-element:footnote" id="ftn2"><p class="MsoFootnoteText"><a href="#_ftnref2" name="_ftn2">'
        "<span>[2]</span></a> At the seat of the Secretariat.</p>"
        "<p>Or elsewhere by consensus.</p></div></div></body></html>"
    )
    doc = parse_bytes(page.encode(), "draft.htm")
    assert [(p.id, p.text, p.notes) for p in doc.provisions()] == [
        ("1.1", "The Parties shall cooperate and report under article 2.", ["See document A/CONF.217/4."]),
        ("1.2", "They shall meet yearly.", ["At the seat of the Secretariat. Or elsewhere by consensus."]),
        ("2", "The Secretariat shall keep the reports.", []),
    ]


def test_a_list_after_a_rule_is_footnotes_only_at_the_end_of_the_text() -> None:
    # An <ol> after <hr> is footnotes only when it ends the text and its numbers
    # are referred to: the one in Article 2 is the article's paragraphs.
    page = (
        "<html><body><main id=\"text\"><h2>Article 1</h2><p>The Parties shall cooperate.<sup>1</sup></p><hr>"
        "<h2>Article 2</h2><hr><ol><li>Each Party shall report.</li><li>Reports are public.</li></ol>"
        "<h2>Article 3</h2><p>This Treaty enters into force on signature.</p>"
        "<hr><ol><li><p>See document A/CONF.217/4.</p></li></ol></main></body></html>"
    )
    doc = parse_bytes(page.encode(), "draft.html")
    assert [(p.id, p.text, p.notes) for p in doc.provisions()] == [
        ("1", "The Parties shall cooperate.", ["See document A/CONF.217/4."]),
        ("2.1", "Each Party shall report.", []),
        ("2.2", "Reports are public.", []),
        ("3", "This Treaty enters into force on signature.", []),
    ]


BODY = [
    "Article 5",
    "",
    "1. Each State Party shall implement this Treaty in a consistent, objective and",
    "non-discriminatory manner, bearing in mind the principles referred to in this Treaty.",
    "",
]


@pytest.mark.parametrize(
    "foot",
    [
        ["2. Each State Party shall establish and maintain a national control system."],
        ["2) Each State Party shall establish and maintain a national control system."],
        ["(2) Each State Party shall establish and maintain a national control system."],
        ["__________", "", "2. Each State Party shall establish and maintain a national control system."],
        ["15 States Parties shall constitute a quorum at the meeting of the Conference."],
    ],
)
def test_a_page_ending_in_a_numbered_paragraph_keeps_it(foot: list[str]) -> None:
    # Even with "2" glued to a word above ("Treaty2" would be a reference mark).
    page = BODY[:3] + ["non-discriminatory manner, bearing in mind the Treaty2 principles.", ""] + foot
    assert _split_footnotes(page) == (page, [])
    # ... and a numbered line that continues a wrapped sentence (no gap) is text.
    wrapped = BODY[:3] + ["as set out in paragraph", "12 of Article 2 of this Treaty."]
    assert _split_footnotes(wrapped) == (wrapped, [])


def test_a_numbered_paragraph_just_above_the_footnotes_stays_a_paragraph() -> None:
    page = BODY + [
        "2. Each State Party shall establish and maintain a national control system,",
        "including a national control list,1 in order to implement this Treaty.",
        "",
        "",
        "1 See document A/CONF.217/4, a list that States",
        "Parties have published.",
        "2 At the seat of the Secretariat.",
    ]
    body, notes = _split_footnotes(page)
    assert [(n.number, n.text) for n in notes] == [
        (1, "See document A/CONF.217/4, a list that States Parties have published."),
        (2, "At the seat of the Secretariat."),
    ]
    lines = _lines_from_text("\n".join(body))
    warnings: list[str] = []
    _attach_footnotes(lines, notes, 3, warnings)
    doc = parse_text("\n".join(line.text for line in lines))
    assert [p.id for p in doc.provisions()] == ["5.1", "5.2"]
    assert doc.get("5.2").text.endswith("including a national control list, in order to implement this Treaty.")
    # Note 2 has no mark on the page: it goes with the page's last line, and the analyst is told.
    assert [(line.text[:10], line.notes) for line in lines if line.notes] == [
        (
            "including ",
            ["See document A/CONF.217/4, a list that States Parties have published.", "At the seat of the Secretariat."],
        )
    ]
    assert warnings == [
        "Footnote 2 on page 3 has no reference mark in the text; "
        "it was kept as a note of the page's last provision."
    ]
