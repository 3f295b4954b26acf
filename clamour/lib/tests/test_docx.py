"""Word drafts read as Word shows them: automatic numbering, headings by style,
tables in order, footnotes kept out, tracked changes accepted."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from clamour.lib.alignment import parse_bytes, parse_text
from clamour.lib.alignment.docx import read_docx
from clamour.testing.drafts import signature
from clamour.testing.formats import to_word
from clamour.testing.hostile import CONTENT_TYPES

ATT = (Path(__file__).parent / "data" / "att-2013-final.md").read_text(encoding="utf-8")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def att():
    return parse_text(ATT)


def test_automatic_numbering_gives_the_markdown_structure(att) -> None:
    data = to_word(ATT)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    # The numbers really are Word's: none of "1. This Treaty" / "(a) Battle" is typed.
    assert "w:numPr" in xml and ">1. This Treaty" not in xml and "(a) Battle" not in xml
    assert "<w:tbl>" in xml and "footnoteReference" in xml
    doc = parse_bytes(data, "att.docx")
    assert signature(doc) == signature(att)
    assert len(doc.provisions()) == len(att.provisions())
    assert doc.articles[1].title == "Scope" and doc.get("2.1").children[0].id == "2.1(a)"
    # Articles 3 and 4 were in a table: read in their place.
    assert [a.number for a in doc.articles[:5]] == ["1", "2", "3", "4", "5"]
    assert doc.get("3").text.startswith("Each State Party shall establish")


def test_tracked_changes_are_accepted(att) -> None:
    data = to_word(ATT, tracked=True)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:del ") > 5 and xml.count("<w:ins ") > 5
    doc = parse_bytes(data, "att.docx")
    assert signature(doc) == signature(att)


def _docx(body: str, numbering: str = "", styles: str = "", footnotes: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
        if numbering:
            zf.writestr("word/numbering.xml", f"<w:numbering {W}>{numbering}</w:numbering>")
        if styles:
            zf.writestr("word/styles.xml", f"<w:styles {W}>{styles}</w:styles>")
        if footnotes:
            zf.writestr("word/footnotes.xml", f"<w:footnotes {W}>{footnotes}</w:footnotes>")
    return buf.getvalue()


def _p(text: str, num: str = "", ilvl: int = 0, style: str = "", extra: str = "") -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r>{extra}</w:p>"


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, style: str = "", legal: bool = False) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    pstyle += "<w:isLgl/>" if legal else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def test_list_instances_restarts_levels_and_formats() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "decimal", "%1.")
        + _lvl(1, "lowerLetter", "(%2)")
        + _lvl(2, "lowerRoman", "(%3)")
        + "</w:abstractNum>"
        + '<w:abstractNum w:abstractNumId="2">'
        + _lvl(0, "upperRoman", "%1.", start=4)
        + _lvl(1, "decimal", "%1.%2", legal=True)
        + _lvl(2, "decimal", "%1.%2.%3")
        + "</w:abstractNum>"
        + '<w:abstractNum w:abstractNumId="3">' + _lvl(0, "bullet", "\u2022") + "</w:abstractNum>"
        + '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>'
        + '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
        + '<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>'
    )
    body = "".join(
        [
            _p("one", "1"),
            _p("sub", "1", 1),
            _p("subsub", "1", 2),
            _p("subsub2", "1", 2),
            _p("sub2", "1", 1),
            _p("two", "1"),
            _p("", "1"),  # an empty numbered paragraph shows no number and takes none
            _p("sub again", "1", 1),
            _p("shared list continues", "2"),  # same abstract, no override: continues
            _p("restarted at seven", "3"),
            _p("eight", "3"),
            _p("roman four", "4"),
            _p("legal", "4", 1),
            _p("not legal", "4", 2),
            _p("dot", "5"),
            _p("no list", "0"),
        ]
    )
    labels = [(p.label, p.text, p.bullet) for p in read_docx(_docx(body, numbering))]
    assert labels == [
        ("1.", "one", False),
        ("(a)", "sub", False),
        ("(i)", "subsub", False),
        ("(ii)", "subsub2", False),
        ("(b)", "sub2", False),
        ("2.", "two", False),
        ("(a)", "sub again", False),
        ("3.", "shared list continues", False),
        ("7.", "restarted at seven", False),
        ("8.", "eight", False),
        ("IV.", "roman four", False),
        ("4.1", "legal", False),
            ("IV.1.1", "not legal", False),
        ("", "dot", True),
        ("", "no list", False),
    ]


def test_headings_and_numbering_by_style_and_outline_level() -> None:
    styles = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Art"><w:name w:val="Treaty Article"/>'
        '<w:basedOn w:val="Outline"/><w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="Outline"/>'
        '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Para"><w:name w:val="Treaty Paragraph"/></w:style>'
        '<w:style w:type="table" w:styleId="Grid"><w:name w:val="heading 1"/></w:style>'
    )
    numbering = (
        '<w:abstractNum w:abstractNumId="8">' + _lvl(0, "decimal", "Article %1") + "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="7">' + _lvl(0, "decimal", "%1.", style="Para") + "</w:abstractNum>"
        '<w:num w:numId="9"><w:abstractNumId w:val="8"/></w:num>'
        '<w:num w:numId="6"><w:abstractNumId w:val="7"/></w:num>'
        '<w:num w:numId="10"><w:abstractNumId w:val="7"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    body = (
        _p("Draft treaty", style="H2")
        + _p("Use of terms", style="Art")
        + _p("First paragraph.", style="Para")
        + _p("Second paragraph.", style="Para")
        + _p("Scope of a rather long article title that goes on for more than twelve words", style="Art")
        + _p("Only paragraph, restarted.", "10", style="Para")
    )
    paragraphs = read_docx(_docx(body, numbering, styles))
    assert [(p.heading, p.label) for p in paragraphs] == [
        (2, ""), (2, "Article 1"), (0, "1."), (0, "2."), (2, "Article 2"), (0, "1."),
    ]
    doc = parse_bytes(_docx(body, numbering, styles), "x.docx")
    assert [(a.number, a.title) for a in doc.articles] == [
        ("1", "Use of terms"),
        ("2", "Scope of a rather long article title that goes on for more than twelve words"),
    ]
    assert [p.id for p in doc.provisions()] == ["1.1", "1.2", "2.1"]


def test_revisions_fields_and_footnotes_do_not_leak_into_text() -> None:
    body = (
        _p("Article 1")
        + "<w:p><w:r><w:t>The Parties shall </w:t></w:r>"
        '<w:del w:id="1" w:author="x"><w:r><w:delText>never </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="x"><w:r><w:t>always </w:t></w:r></w:ins>'
        '<w:moveFrom w:id="3" w:author="x"><w:r><w:t>moved away </w:t></w:r></w:moveFrom>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGEREF x</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:r><w:t>cooperate</w:t></w:r>"
        '<w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="x"/></w:rPr><w:t>.</w:t></w:r></w:p>'
    )
    doc = parse_bytes(_docx(body), "x.docx")
    assert doc.get("1").text == "The Parties shall always cooperate."


def test_footnotes_are_attached_to_the_provision_that_refers_to_them() -> None:
    footnotes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t> See document A/CONF.217/2.</w:t>'
        "</w:r></w:p></w:footnote>"
        '<w:footnote w:id="2"><w:p><w:r><w:t>Bracketed text is under discussion.</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Second paragraph of the note.</w:t></w:r></w:p></w:footnote>"
    )
    body = (
        _p("Article 1", extra='<w:r><w:footnoteReference w:id="2"/></w:r>')
        + _p("1. The Parties shall cooperate.", extra='<w:r><w:footnoteReference w:id="1"/></w:r>')
        + _p("2. They shall report.")
    )
    doc = parse_bytes(_docx(body, footnotes=footnotes), "x.docx")
    assert doc.get("1.1").text == "The Parties shall cooperate."
    # A note on the heading waits for the article's first provision.
    assert doc.get("1.1").notes == [
        "Bracketed text is under discussion. Second paragraph of the note.",
        "See document A/CONF.217/2.",
    ]
    assert doc.get("1.2").notes == []
    # The generated Word draft's footnote (with Word's separator notes) likewise.
    att_doc = parse_bytes(to_word(ATT), "att.docx")
    from clamour.testing.formats import FOOTNOTE_TEXT

    assert [p.notes for p in att_doc.provisions() if p.notes] == [[FOOTNOTE_TEXT]]
    assert all(FOOTNOTE_TEXT not in p.full_text for p in att_doc.provisions())


def test_the_text_before_tracked_revisions_is_kept_for_the_drafts_own_redline(att) -> None:
    body = (
        _p("Article 1")
        + '<w:p><w:r><w:t xml:space="preserve">1. The Parties shall </w:t></w:r>'
        '<w:del w:id="1" w:author="x"><w:r><w:delText xml:space="preserve">never </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins>'
        "<w:r><w:t>cooperate.</w:t></w:r></w:p>"
        + _p("2. They shall report.")
    )
    doc = parse_bytes(_docx(body), "x.docx")
    assert doc.get("1.1").text == "The Parties shall always cooperate."
    assert doc.get("1.1").before == "The Parties shall never cooperate."
    assert doc.get("1.2").before == ""  # no revision there
    # The generated draft circulated with revisions: the accepted text is the
    # treaty's, and every revised provision keeps its text before them.
    from clamour.lib.alignment import redline_html

    revised = [p for p in parse_bytes(to_word(ATT, tracked=True), "att.docx").provisions() if p.before]
    assert len(revised) >= 10
    for p in revised:
        assert p.full_text == att.get(p.id).full_text
        assert p.before != p.full_text
        assert "<del>" in redline_html(p.before, p.full_text)
    # A paragraph deleted whole shows in the redline of the provision it preceded.
    assert any(p.before.startswith("Adopted by the UN General Assembly") for p in revised)
    # Without revisions, nothing is kept.
    assert not any(p.before for p in parse_bytes(to_word(ATT), "att.docx").provisions())


def test_a_hostile_footnotes_part_is_refused_with_a_message() -> None:
    from clamour.lib.alignment import ParseError

    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        f'<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    body = _p("Article 1") + _p("1. Text.", extra='<w:r><w:footnoteReference w:id="1"/></w:r>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
        zf.writestr("word/footnotes.xml", laughs)
    with pytest.raises(ParseError, match="document type"):
        parse_bytes(buf.getvalue(), "x.docx")
