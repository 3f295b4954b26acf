"""PDF as a person reads it (running heads and feet, page numbers, symbols,
hyphenation, headings at a page's foot), preamble openings, long titles, annexes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from clamour.lib.alignment import parse_bytes, parse_text
from clamour.lib.alignment.parse import _dehyphenate
from clamour.testing.drafts import signature
from clamour.testing.formats import PAGE_FORMS, to_un_pdf

ATT = (Path(__file__).parent / "data" / "att-2013-final.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def att():
    return parse_text(ATT)


@pytest.mark.parametrize("page_form", sorted(PAGE_FORMS))
def test_a_un_style_pdf_gives_the_markdown_structure(att, page_form: str) -> None:
    import io

    import pypdf

    data = to_un_pdf(ATT, page_form=page_form)
    pages = [p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    # The file really has running heads, and "Article 7" ends a page.
    assert sum("A/CONF.217/2013/L.3" in p for p in pages) == len(pages) > 8
    page_lines = [[ln.strip() for ln in p.splitlines() if ln.strip()] for p in pages]
    assert any(lines[-2] == "Article 7" for lines in page_lines)  # then the page number
    assert any("-\n" in p for p in pages)  # hyphenated line ends
    doc = parse_bytes(data, "L3.pdf")
    assert signature(doc) == signature(att)
    assert any("A/CONF.217/2013/L.3" in w and "header or footer" in w for w in doc.warnings)
    assert doc.articles[6].title == "Export and Export Assessment"


def test_line_end_hyphenation_is_undone_unless_the_document_hyphenates() -> None:
    vocab = Counter({"end": 3, "user": 2, "trans-shipment": 2})
    assert _dehyphenate("and maint-", "enance of", vocab) == "and maintenance of"
    assert _dehyphenate("the trans-", "shipment of", vocab) == "the trans-shipment of"
    assert _dehyphenate("the end-", "user", vocab) == "the end-user"


@pytest.mark.parametrize(
    "opening",
    [
        "The States Parties to this Treaty,",
        "The Parties to this Agreement,",
        "The Parties to this Protocol,",
        "The High Contracting Parties,",
        "The Conference of the Parties,",
        "The Governments of the States signatory to this Convention,",
        "The General Assembly,",
    ],
)
def test_common_preamble_openings_are_the_chapeau(opening: str) -> None:
    text = (
        f"{opening}\n\nRecalling the purposes of the Charter of the United Nations,\n\n"
        "Have agreed as follows:\n\nArticle 1\n\nThe object of this Treaty is to reduce human suffering.\n"
    )
    doc = parse_text(text)
    assert doc.chapeau == opening
    assert [p.text for p in doc.preamble] == ["Recalling the purposes of the Charter of the United Nations,"]


def test_lettered_and_numbered_preambular_paragraphs_keep_their_labels_out_of_the_text() -> None:
    for first, second, labels in (("(a)", "(b)", ["(a)", "(b)"]), ("a)", "b)", ["(a)", "(b)"]), ("1.", "2.", ["1", "2"])):
        doc = parse_text(
            f"The States Parties to this Treaty,\n\n{first} Guided by the purposes of the Charter,\n\n"
            f"{second} Recognizing the legitimate interests of States,\n\nHave agreed as follows:\n\n"
            "Article 1\n\nThe object of this Treaty is to reduce human suffering.\n"
        )
        assert [(p.id, p.label, p.text[:9]) for p in doc.preamble] == [
            ("PP1", labels[0], "Guided by"),
            ("PP2", labels[1], "Recognizi"),
        ]


def test_a_long_article_title_is_a_title_in_every_layout() -> None:
    title = (
        "Relationship with other international agreements and arrangements concerning conventional arms "
        "and their ammunition, parts and components"
    )
    body = "The implementation of this Treaty shall not prejudice obligations undertaken by States Parties."
    for text in (
        f"Article 26 \u2014 {title}\n\n{body}\n",
        f"Article 26\n{title}\n{body}\n",
        f"Article 26\n\n{title}\n\n{body}\n",
    ):
        doc = parse_text(text)
        assert doc.articles[0].title == title, text
        assert doc.get("26").text == body
    md = f"# Treaty\n\n## Article 26 \u2014 {title}\n\n{body}\n"
    doc = parse_bytes(to_un_pdf(md, foot_heading=""), "x.pdf")
    assert doc.articles[0].title == title and doc.get("26").text == body


def test_annexes_are_sections_with_their_own_ids() -> None:
    doc = parse_text(
        "Article 1\n\nThis Protocol applies to the sources listed in Annex A.\n\n"
        "Annex A \u2014 Sectors and source categories\n\n1. Energy\n\n2. Industrial processes\n\n"
        "ANNEX B\n\nQuantified emission limitation or reduction commitment.\n"
    )
    assert [(a.number, a.title) for a in doc.articles] == [
        ("1", ""),
        ("Annex A", "Sectors and source categories"),
        ("Annex B", ""),
    ]
    assert [p.id for p in doc.provisions()] == ["1", "Annex A.1", "Annex A.2", "Annex B"]


def test_an_html_page_gives_the_markdown_structure(att) -> None:
    from clamour.testing.formats import to_html

    page = to_html(ATT)
    assert '<ol start="1">' in page and '<ol type="a"' in page and "<nav>" in page and "<sup>1</sup>" in page
    for name in ("treaty.html", ""):  # by name, or recognised by its content
        doc = parse_bytes(page.encode(), name)
        assert signature(doc) == signature(att)
    assert "United Nations Office for Disarmament Affairs" not in str(doc)
    assert "tracking" not in str(doc) and "Copyright" not in str(doc)


def test_markdown_rendering_round_trips_every_structure(att) -> None:
    from clamour.lib.alignment.parse import to_markdown

    assert signature(parse_text(to_markdown(att))) == signature(att)
    doc = parse_text(
        "The Parties to this Agreement,\n\n(a) Recalling the Charter,\n\n(b) Noting the Convention,\n\n"
        "Have agreed as follows:\n\nArticle 1\n\nText one.\n\nAnnex I \u2014 Lists\n\n1. First.\n\n2. Second.\n"
    )
    again = parse_text(to_markdown(doc))
    assert signature(again) == signature(doc)
    assert [p.label for p in again.preamble] == ["(a)", "(b)"]


def test_article_headings_at_page_edges_are_never_taken_for_running_lines() -> None:
    # A later draft (generated from the treaty) whose "Article N" headings fall
    # at the top or foot of several pages: the same heading shape repeating
    # there is structure, not a running header.
    from clamour.testing.drafts import make_draft

    new_md = make_draft(parse_text(ATT), seed=42).to_markdown()
    doc = parse_bytes(to_un_pdf(new_md), "draft.pdf")
    assert signature(doc) == signature(parse_text(new_md))
    assert not any("Article" in w for w in doc.warnings)
