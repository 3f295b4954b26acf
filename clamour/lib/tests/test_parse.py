"""Parser tests on the real 2013 Arms Trade Treaty text, in four formats."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clamour.lib.alignment import ParseError, parse_bytes, parse_text
from clamour.lib.alignment.parse import Document
from clamour.testing.drafts import signature, to_docx, to_pdf, to_text

ATT = (Path(__file__).parent / "data" / "att-2013-final.md").read_text(encoding="utf-8")
SINGLE_PARAGRAPH_ARTICLES = ["1", "3", "4", "9", "10", "14", "23", "27", "28"]


@pytest.fixture(scope="module")
def att() -> Document:
    return parse_text(ATT)


def test_markdown_structure_matches_the_official_counts(att: Document) -> None:
    assert att.title == "The Arms Trade Treaty"
    assert att.chapeau == "The States Parties to this Treaty,"
    assert len(att.preamble) == 18
    assert att.preamble[0].id == "PP1" and att.preamble[0].text.startswith("Guided by")
    assert att.preamble[-1].text == "Determined to act in accordance with the following principles;"
    assert len(att.principles) == 8 and att.principles[7].id == "PR8"
    assert att.agreed_formula == "Have agreed as follows:"
    assert [a.number for a in att.articles] == [str(n) for n in range(1, 29)]
    assert att.articles[4].title == "General Implementation"
    numbered = [p for p in att.provisions() if p.kind == "paragraph"]
    assert len(numbered) == 72
    single = [p.id for p in att.provisions() if p.kind == "body"]
    assert single == SINGLE_PARAGRAPH_ARTICLES
    assert att.closing == "DONE at New York, this second day of April, two thousand and thirteen."
    assert "DONE" not in att.get("28").full_text


def test_sub_items_nest_and_belong_to_their_paragraph(att: Document) -> None:
    p71 = att.get("7.1")
    assert [c.id for c in p71.children] == ["7.1(a)", "7.1(b)"]
    assert [c.id for c in p71.children[1].children] == [
        "7.1(b)(i)", "7.1(b)(ii)", "7.1(b)(iii)", "7.1(b)(iv)",
    ]
    assert "transnational organized crime" in p71.full_text
    # (h) after (g) is a letter, not roman "h"; (i) is not confused either.
    assert [c.label for c in att.get("2.1").children][-2:] == ["(g)", "(h)"]
    # Article 1's unlabelled list and "for the purpose of:" stay in the article body.
    art1 = att.get("1")
    assert "for the purpose of:" in art1.full_text and "Reducing human suffering;" in art1.full_text


@pytest.mark.parametrize(
    "fmt, make",
    [
        ("txt", lambda md: to_text(md).encode()),
        ("txt", lambda md: to_text(md, split_headings=True).encode()),
        ("docx", to_docx),
        ("pdf", to_pdf),
    ],
    ids=["txt", "txt-title-on-own-line", "docx", "pdf"],
)
def test_every_format_gives_the_markdown_structure(att: Document, fmt: str, make) -> None:
    doc = parse_bytes(make(ATT), fmt)
    assert signature(doc) == signature(att)


def test_hard_wrapped_text_with_hyphenation_is_joined(att: Document) -> None:
    plain = to_text(ATT)
    wrapped = "\n".join(
        "\n".join(textwrap.wrap(line, 60, break_on_hyphens=True)) if line.strip() else ""
        for line in plain.splitlines()
    )
    # Break a word the way a typesetter does ("authori-" / "zation"), too.
    wrapped = wrapped.replace("prior to authorizing the export", "prior to authori-\nzing the export")
    assert "-\n" in wrapped
    doc = parse_text(wrapped)
    assert signature(doc) == signature(att)


def test_pdf_page_numbers_are_dropped_and_pages_joined(att: Document) -> None:
    from fpdf import FPDF

    class Numbered(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, str(self.page_no()), align="C")

    doc = parse_bytes(_pdf_with(Numbered), "x.pdf")
    assert signature(doc) == signature(att)


def _pdf_with(cls) -> bytes:
    from clamour.testing.drafts import ASCII, _blocks

    pdf = cls()
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for kind, indent, text in _blocks(ATT.translate(ASCII)):
        if kind == "blank":
            pdf.ln(3)
            continue
        pdf.set_x(pdf.l_margin + 8 * indent)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    assert pdf.page_no() > 3
    return bytes(pdf.output())


def test_heading_variants_without_markdown() -> None:
    text = """Draft Treaty

The States Parties to this Treaty,

Recalling the Charter,

Have agreed as follows:

ARTICLE 1: Scope

This Treaty applies to arms.

Article 2
Definitions
1) For the purposes of this Treaty:
a) "arms" means weapons;
b) "transfer" means export.
2) Nothing in this Treaty affects other obligations.

Article 3 - Final clauses
DONE at Geneva.
"""
    doc = parse_text(text)
    assert [(a.number, a.title) for a in doc.articles] == [
        ("1", "Scope"), ("2", "Definitions"), ("3", "Final clauses"),
    ]
    assert [p.id for p in doc.provisions()] == ["PP1", "1", "2.1", "2.2"]
    assert [c.id for c in doc.get("2.1").children] == ["2.1(a)", "2.1(b)"]
    assert doc.closing == "DONE at Geneva."


def test_mentions_of_articles_inside_text_are_not_headings() -> None:
    text = (
        "Preamble\n\nRecalling Article 26 of the Charter,\n\nArticle 1\n\n"
        "This applies to the arms covered under\nArticle 2 (1) and to the items covered under\n"
        "Article 3 of the Charter.\n"
    )
    doc = parse_text(text)
    assert [a.number for a in doc.articles] == ["1"]
    assert doc.articles[0].title == ""
    assert doc.get("1").text == (
        "This applies to the arms covered under Article 2 (1) and to the items covered under "
        "Article 3 of the Charter."
    )


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "a.md", "empty"),
        (b"   \n\n ", "a.txt", "empty"),
        (bytes(range(256)) * 40, "a.txt", "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 20, "a.pdf", "not a valid PDF"),
        (b"%PDF-1.4 garbage garbage", "a.pdf", "PDF"),
        (b"PK\x03\x04 not really a zip", "a.docx", "Word"),
        (b"Shopping list\n\n- eggs\n- milk\n", "a.md", "No articles"),
        (b"just one line", "x", "No articles"),
    ],
)
def test_bad_input_raises_parse_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_bytes(data, name)


def test_size_limit_is_enforced() -> None:
    with pytest.raises(ParseError, match="too large"):
        parse_bytes(ATT.encode(), "att.md", max_bytes=1000)
    with pytest.raises(ParseError, match="too long"):
        parse_text(ATT, max_chars=1000)


def test_parse_text_rejects_non_text() -> None:
    with pytest.raises(ParseError):
        parse_text(b"bytes")  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.md", "x.txt", "x.pdf", "x.docx", ""]))
def test_arbitrary_bytes_give_a_document_or_a_parse_error(data: bytes, name: str) -> None:
    try:
        parse_bytes(data, name)
    except ParseError as exc:
        assert str(exc) and "could not be parsed (" not in str(exc)  # not a wrapped bug


@settings(max_examples=50, deadline=None)
@given(cut=st.integers(0, len(ATT)), junk=st.text(max_size=200))
def test_truncated_or_corrupted_text_gives_a_document_or_a_parse_error(cut: int, junk: str) -> None:
    try:
        doc = parse_text(ATT[:cut] + junk + ATT[cut : cut + 2000])
    except ParseError as exc:
        assert str(exc) and "could not be parsed (" not in str(exc)  # not a wrapped bug
    else:
        ids = [p.id for p in doc.provisions()]
        assert len(ids) == len(set(ids)) and doc.articles
