"""Treaty texts rendered the way negotiators' files really come: Word with
automatic numbering and tracked changes, PDF with running headers and footers,
HTML as official sites publish it. Built from a Markdown text (see ``drafts``),
so the parsed result can be compared with the Markdown's.
"""

from __future__ import annotations

import html
import io
import re

from clamour.lib.alignment.parse import _roman_value
from clamour.testing.drafts import ASCII, _blocks

_ITEM = re.compile(r"^\((?P<label>[a-z]{1,4})\)\s+(?P<text>.*)$")
_PARA = re.compile(r"^(?P<n>\d{1,3})\.\s+(?P<text>.*)$")
_ART = re.compile(r"^(?P<head>Article\s+\d+)\s+(?:\u2014|-)\s+(?P<title>.*)$")


# ------------------------------------------------------------------------ Word


def _w(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _run(text: str, kind: str = "t"):
    r = _w("w:r")
    t = _w(f"w:{kind}")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


class _WordLists:
    """One abstract list (``1.`` / ``(a)`` / ``(i)``) and one for article headings
    (``Article %1``, attached to a paragraph style); new list instances with a
    ``startOverride`` whenever the number shown must restart, as Word makes them."""

    def __init__(self, document) -> None:
        self.numbering = document.part.numbering_part.element
        self.next_num = 100
        self._abstract("90", [("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)")])
        self._abstract("91", [("decimal", "Article %1")])
        self.article_num = self._num("91", {})
        self.num: str | None = None
        self.counters: list[int | None] = [None, None, None]

    def _abstract(self, abstract_id: str, levels: list[tuple[str, str]]) -> None:
        a = _w("w:abstractNum", abstractNumId=abstract_id)
        a.append(_w("w:multiLevelType", val="multilevel"))
        for ilvl, (fmt, text) in enumerate(levels):
            lvl = _w("w:lvl", ilvl=str(ilvl))
            lvl.append(_w("w:start", val="1"))
            lvl.append(_w("w:numFmt", val=fmt))
            lvl.append(_w("w:lvlText", val=text))
            lvl.append(_w("w:lvlJc", val="left"))
            ppr = _w("w:pPr")
            ppr.append(_w("w:ind", left=str(720 * (ilvl + 1)), hanging="360"))
            lvl.append(ppr)
            a.append(lvl)
        first_num = self.numbering.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num"
        )
        if first_num is not None:
            first_num.addprevious(a)
        else:
            self.numbering.append(a)

    def _num(self, abstract_id: str, overrides: dict[int, int]) -> str:
        num_id = str(self.next_num)
        self.next_num += 1
        num = _w("w:num", numId=num_id)
        num.append(_w("w:abstractNumId", val=abstract_id))
        for ilvl, start in overrides.items():
            o = _w("w:lvlOverride", ilvl=str(ilvl))
            o.append(_w("w:startOverride", val=str(start)))
            num.append(o)
        self.numbering.append(num)
        return num_id

    def number(self, ilvl: int, value: int) -> str:
        """The list instance that shows ``value`` at ``ilvl`` on the next paragraph."""
        current = self.counters[ilvl]
        nxt = 1 if current is None else current + 1
        if self.num is None or nxt != value:
            self.num = self._num("90", {ilvl: value})
            self.counters = [None, None, None]
        self.counters[ilvl] = value
        for deeper in range(ilvl + 1, 3):
            self.counters[deeper] = None
        return self.num


def _numbered(paragraph, num_id: str, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = _w("w:numPr")
    numpr.append(_w("w:ilvl", val=str(ilvl)))
    numpr.append(_w("w:numId", val=num_id))
    ppr.append(numpr)


def to_word(md: str, tracked: bool = False, table: bool = True, footnote: bool = True) -> bytes:
    """A .docx as a secretariat writes it: paragraph and item numbers are Word's
    automatic numbering (numbering.xml), article headings are numbered by their
    paragraph style, Articles 3 and 4 sit in a table, Article 1 carries a footnote.

    ``tracked``: the file is circulated with revisions: some words of the text
    are insertions (``w:ins``), text from elsewhere in the document was deleted
    (``w:del``, including a whole paragraph), and a paragraph was typed as two
    whose first paragraph mark is a tracked deletion. Accepting every change
    gives the Markdown text exactly."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    lists = _WordLists(document)
    article_style = document.styles.add_style("Article Heading", WD_STYLE_TYPE.PARAGRAPH)
    article_style.base_style = document.styles["Heading 2"]
    style_ppr = article_style.element.get_or_add_pPr()
    numpr = _w("w:numPr")
    numpr.append(_w("w:numId", val=lists.article_num))
    style_ppr.append(numpr)

    blocks = _blocks(md)
    in_table: list = []
    deleted_pool = [t for k, _, t in blocks if k == "para" and len(t.split()) > 12]
    count = 0

    def para(text: str, style: str | None = None):
        paragraph = document.add_paragraph(style=style)
        if in_table:
            cell = in_table[-1].add_row().cells[0]
            cell.paragraphs[0]._p.addnext(paragraph._p)
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        return paragraph

    def fill(paragraph, text: str) -> None:
        nonlocal count
        count += 1
        words = text.split(" ")
        if tracked and count % 7 == 3 and len(words) > 8:
            # Revisions: the middle words are an insertion; a deleted phrase sits before them.
            a, b = len(words) // 3, 2 * len(words) // 3
            paragraph._p.append(_run(" ".join(words[:a]) + " "))
            dele = _w("w:del", id=str(count), author="Secretariat", date="2013-03-27T10:00:00Z")
            dele.append(_run(deleted_pool[count % len(deleted_pool)].split(",")[0] + " ", "delText"))
            paragraph._p.append(dele)
            ins = _w("w:ins", id=str(10000 + count), author="Secretariat", date="2013-03-27T10:00:00Z")
            ins.append(_run(" ".join(words[a:b]) + " "))
            paragraph._p.append(ins)
            paragraph._p.append(_run(" ".join(words[b:])))
        else:
            paragraph._p.append(_run(text))
        if footnote and count == 1:
            ref = _w("w:r")
            ref.append(_w("w:footnoteReference", id="1"))
            paragraph._p.append(ref)

    split_done = deleted_done = False
    for kind, indent, text in blocks:
        if kind == "blank":
            continue
        if kind == "heading":
            m = _ART.match(text)
            if table and m and m.group("head") == "Article 3":
                in_table.append(document.add_table(rows=0, cols=1))
            elif table and m and m.group("head") == "Article 5" and in_table:
                in_table.pop()
            if m:
                fill(para(text, "Article Heading"), m.group("title"))
            else:
                fill(para(text, "Heading 1" if text.startswith("The ") else "Heading 2"), text)
            continue
        if kind == "item":
            m = _ITEM.match(text)
            if m:
                label = m.group("label")
                roman = indent >= 2
                ilvl = 2 if roman else 1
                value = _roman_value(label) if roman else ord(label[-1]) - 96 + 26 * (len(label) - 1)
                paragraph = para(m.group("text"))
                _numbered(paragraph, lists.number(ilvl, value), ilvl)
                fill(paragraph, m.group("text"))
                continue
            paragraph = para(text)
            fill(paragraph, text)
            continue
        m = _PARA.match(text)
        if m:
            paragraph = para(m.group("text"))
            _numbered(paragraph, lists.number(0, int(m.group("n"))), 0)
            fill(paragraph, m.group("text"))
            if tracked and not deleted_done and int(m.group("n")) == 2:
                # A whole paragraph deleted as a revision (its mark too).
                gone = para("")
                dele = _w("w:del", id="99990", author="Secretariat", date="2013-03-27T10:00:00Z")
                dele.append(_run(deleted_pool[0], "delText"))
                gone._p.append(dele)
                rpr = _w("w:rPr")
                rpr.append(_w("w:del", id="99991", author="Secretariat", date="2013-03-27T10:00:00Z"))
                gone._p.get_or_add_pPr().append(rpr)
                deleted_done = True
            continue
        if tracked and not split_done and text.count(", ") >= 3 and len(text) > 150:
            # Typed as two paragraphs; the first paragraph mark is a tracked deletion.
            cut = text.index(", ") + 2
            first = para(text[:cut])
            first._p.append(_run(text[:cut]))
            rpr = _w("w:rPr")
            rpr.append(_w("w:del", id="99992", author="Secretariat", date="2013-03-27T10:00:00Z"))
            first._p.get_or_add_pPr().append(rpr)
            second = para(text[cut:])
            second._p.append(_run(text[cut:]))
            split_done = True
            continue
        fill(para(text), text)
    buf = io.BytesIO()
    document.save(buf)
    return _with_footnote(buf.getvalue()) if footnote else buf.getvalue()


FOOTNOTE_TEXT = "A note of the secretariat, not treaty text: see the report of the session."


def _with_footnote(data: bytes) -> bytes:
    """Add the footnotes part (with Word's two separator notes) that the
    reference in Article 1 points to, as Word writes it."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        "</w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {FOOTNOTE_TEXT}'
        "</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            dst.writestr(item, body)
        dst.writestr("word/footnotes.xml", part)
    return out.getvalue()


# ------------------------------------------------------------------------- PDF

PAGE_FORMS = {
    "page-of": lambda n, total: f"Page {n} of {total}",
    "slash": lambda n, total: f"{n}/{total}",
    "dashes": lambda n, total: f"- {n} -",
    "bare": lambda n, total: str(n),
}


def to_un_pdf(
    md: str,
    symbol: str = "A/CONF.217/2013/L.3",
    date: str = "27 March 2013",
    page_form: str = "page-of",
    foot_heading: str = "Article 7",
    footnotes: tuple[tuple[str, str], ...] = (),
    footnote_rule: str = "line",
) -> bytes:
    """A PDF laid out as United Nations documents are: the symbol, date and title
    repeat at the top of every page after the first, a page number at the foot,
    "Article N" centred with its title centred on the next line, text justified
    to the margins with long words hyphenated at line ends, and the heading
    ``foot_heading`` falling on the last line of a page.

    ``footnotes``: (phrase, note) pairs. The footnote's number is printed as a
    raised smaller digit right after the first occurrence of the phrase in the
    text, and the note, numbered 1, 2, ... in a smaller font, at the foot of
    that page under a short rule (a drawn line, or with ``footnote_rule="text"``
    a row of underscores), as word processors lay footnotes out."""
    from fpdf import FPDF

    blocks = _blocks(md.translate(ASCII))
    title = next((t for k, _, t in blocks if k == "heading"), "")
    form = PAGE_FORMS[page_form]
    pending = [(n, phrase.translate(ASCII), note.translate(ASCII)) for n, (phrase, note) in enumerate(footnotes, 1)]
    page_notes: list[tuple[int, list[str]]] = []  # notes to print at this page's foot
    body_margin = 18

    def notes_height(notes: list[tuple[int, list[str]]]) -> float:
        if not notes:
            return 0
        return 4 + (4 if footnote_rule == "text" else 0) + 4 * sum(len(lines) for _, lines in notes)

    class UNDoc(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                self.set_font("Helvetica", "B", 10)
                self.cell(0, 5, symbol, align="R", new_x="LMARGIN", new_y="NEXT")
                self.set_font("Helvetica", size=9)
                self.cell(0, 5, date, align="R", new_x="LMARGIN", new_y="NEXT")
                self.ln(6)
                return
            self.set_font("Helvetica", size=9)
            if self.page_no() % 2:
                self.cell(0, 5, symbol, align="R", new_x="LMARGIN", new_y="NEXT")
            else:
                self.cell(0, 5, symbol, new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 5, title, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            if page_notes:
                y = self.h - body_margin - notes_height(page_notes) + 2
                if footnote_rule == "text":
                    self.set_font("Helvetica", size=8)
                    self.set_xy(self.l_margin, y + 1)
                    self.cell(0, 4, "_" * 20)
                    y += 4
                else:
                    self.line(self.l_margin, y, self.l_margin + 45, y)
                y += 2
                self.set_font("Helvetica", size=8)
                for _, lines in page_notes:
                    for line in lines:
                        self.set_xy(self.l_margin, y)
                        self.cell(0, 4, line)
                        y += 4
                page_notes.clear()
                self.set_auto_page_break(True, body_margin)
            self.set_y(-14)
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, form(self.page_no(), "{nb}"), align="C")

    pdf = UNDoc()
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, 18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def wrap(text: str, indent: float) -> list[str]:
        """Greedy wrapping that hyphenates a long word instead of leaving a gap."""
        avail = width - indent
        lines: list[str] = []
        line = ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if pdf.get_string_width(candidate) <= avail:
                line = candidate
                continue
            if len(word) >= 9 and "-" not in word and word.isalpha():
                for cut in range(len(word) - 4, 3, -1):
                    head = f"{line} {word[:cut]}-" if line else f"{word[:cut]}-"
                    if pdf.get_string_width(head) <= avail:
                        lines.append(head)
                        line = word[cut:]
                        break
                else:
                    lines.append(line)
                    line = word
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        return lines

    def wrap_note(text: str) -> list[str]:
        pdf.set_font("Helvetica", size=8)
        lines: list[str] = []
        for word in text.split(" "):
            if lines and pdf.get_string_width(f"{lines[-1]} {word}") <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        pdf.set_font("Helvetica", size=11)
        return lines

    def mark_line(line: str, indent: float, marks: list[int]) -> None:
        """A line of text with footnote numbers raised after the marked words;
        the notes are kept for the foot of the page the line falls on."""
        notes = [(n, wrap_note(f"{n} {next(note for m, _, note in footnotes_all if m == n)}"))
                 for n in marks[: line.count("\x01")]]
        del marks[: len(notes)]
        reserve = body_margin + notes_height(page_notes + notes)
        if pdf.get_y() + 5 > pdf.h - reserve:
            pdf.add_page()
            reserve = body_margin + notes_height(notes)
        page_notes.extend(notes)
        pdf.set_auto_page_break(True, reserve)
        x, y = pdf.l_margin + indent, pdf.get_y()
        parts = line.split("\x01")
        for i, part in enumerate(parts):
            pdf.set_xy(x, y)
            pdf.cell(pdf.get_string_width(part), 5, part)
            x += pdf.get_string_width(part)
            if i < len(notes):
                pdf.set_font("Helvetica", size=7)
                digit = str(notes[i][0])
                pdf.set_xy(x, y - 1.3)
                pdf.cell(pdf.get_string_width(digit), 5, digit)
                x += pdf.get_string_width(digit)
                pdf.set_font("Helvetica", size=11)
        pdf.set_xy(pdf.l_margin, y + 5)

    footnotes_all = list(pending)
    for kind, indent, text in blocks:
        if kind == "blank":
            pdf.ln(3)
            continue
        if kind == "heading":
            m = _ART.match(text)
            pdf.set_font("Helvetica", "B", 11)
            if m and m.group("head") == foot_heading:
                # Put the heading on the page's last line.
                bottom = pdf.h - pdf.b_margin
                if pdf.get_y() > bottom - 40:
                    pdf.add_page()
                pdf.set_y(bottom - 6)
            if m:
                pdf.cell(0, 6, m.group("head"), align="C", new_x="LMARGIN", new_y="NEXT")
                for line in wrap(m.group("title"), 0):
                    pdf.cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
            else:
                for line in wrap(text, 0):
                    pdf.cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
            continue
        pdf.set_font("Helvetica", size=11)
        found = sorted(((text.index(n[1]) + len(n[1]), n) for n in pending if n[1] in text), reverse=True)
        for at, note in found:  # from the end, so the positions stay right
            text = f"{text[:at]}\x01{text[at:]}"
            pending.remove(note)
        marks = [note[0] for _, note in reversed(found)]
        for line in wrap(text, 8 * indent):
            pdf.set_x(pdf.l_margin + 8 * indent)
            if "\x01" not in line:
                pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
                continue
            mark_line(line, 8 * indent, marks)
    return bytes(pdf.output())


# ------------------------------------------------------------------------ HTML


NOTE_STYLES = ("section", "div", "hr", "p")


def to_html(md: str, footnotes: tuple[tuple[str, str], ...] = (), note_style: str = "section") -> str:
    """An HTML page as an official site publishes a treaty: site navigation,
    header and footer around the text, the title and articles as headings
    ("Article N" and its title in separate elements), paragraphs numbered by
    ``<ol start>`` lists in even articles and typed in odd ones, sub-items as
    ``<ol type="a">`` / ``<ol type="i">``, unlabelled items as ``<ul>``, and a
    footnote marker in ``<sup>``.

    ``footnotes``: (phrase, note) pairs; the note's number follows the first
    occurrence of the phrase as ``<sup><a href="#fn1">1</a></sup>``, and the
    notes end the text, as ``note_style`` says: ``section`` (``<section
    class="footnotes">`` with ``<hr>``, an ``<ol>`` of ``<li id="fn1">`` and
    links back), ``div`` (``<div class="footnotes">`` of ``<p id="fn1">``),
    ``hr`` (a bare ``<sup>1</sup>`` in the text and an ``<ol>`` after ``<hr>``)
    or ``p`` (``<p id="fn1"><sup>1</sup> ...</p>`` after the text)."""
    pending = list(enumerate(footnotes, 1))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Treaty text</title>',
        "<style>p { margin: 0 }</style><script>var tracking = 1;</script></head><body>",
        '<header><a href="/">United Nations Office for Disarmament Affairs</a></header>',
        "<nav><ul><li>Home</li><li>Treaties</li></ul></nav><main>",
    ]
    article = 0
    open_lists: list[str] = []  # closing tags of open sub-item lists
    in_numbered = False
    first_para = True

    def close_items(depth: int = 0) -> None:
        while len(open_lists) > depth:
            out.append(open_lists.pop())

    def close_numbered() -> None:
        nonlocal in_numbered
        close_items()
        if in_numbered:
            out.append("</li></ol>")
            in_numbered = False

    for kind, indent, text in _blocks(md):
        if kind == "blank":
            continue
        if kind != "heading":
            for note in list(pending):
                if note[1][0] in text:
                    at = text.index(note[1][0]) + len(note[1][0])
                    text = f"{text[:at]}\x01{note[0]}\x02{text[at:]}"
                    pending.remove(note)
        esc = html.escape(text, quote=False)
        if kind == "heading":
            close_numbered()
            m = _ART.match(text)
            if m:
                article += 1
                out.append(f"<h2>{html.escape(m.group('head'))}</h2><h3>{html.escape(m.group('title'))}</h3>")
            else:
                out.append(f"<h1>{esc}</h1>" if text.startswith("The ") else f"<h2>{esc}</h2>")
            continue
        if kind == "item":
            m = _ITEM.match(text)
            depth = max(indent, 1)
            if m:
                kind_attr = "i" if indent >= 2 else "a"
                label = m.group("label")
                value = _roman_value(label) if kind_attr == "i" else ord(label[-1]) - 96
                while len(open_lists) < depth:
                    out.append(f'<ol type="{kind_attr}" start="{value}">')
                    open_lists.append("</ol>")
                close_items(depth)
                out.append(f"<li>{html.escape(m.group('text'), quote=False)}</li>")
            else:
                close_items(0)
                out.append(f"<ul><li>{esc}</li></ul>")
            continue
        m = _PARA.match(text)
        close_numbered()
        if m and article % 2 == 0:
            out.append(f'<ol start="{m.group("n")}"><li>{html.escape(m.group("text"), quote=False)}')
            in_numbered = True
            continue
        note = "<sup>1</sup>" if first_para and article and not footnotes else ""
        first_para = first_para and not note
        out.append(f"<p>{esc}{note}</p>")
    close_numbered()
    notes = [(n, html.escape(note, quote=False)) for n, (_, note) in enumerate(footnotes, 1)]
    if notes and note_style == "section":
        out.append('<section class="footnotes" role="doc-endnotes"><hr><ol>')
        out += [f'<li id="fn{n}"><p>{note} <a href="#fnref{n}" role="doc-backlink">\u21a9\ufe0e</a></p></li>'
                for n, note in notes]
        out.append("</ol></section>")
    elif notes and note_style == "div":
        out.append('<div class="footnotes"><h3>Notes</h3>')
        out += [f'<p id="fn{n}"><a href="#fnref{n}">[{n}]</a> {note}</p>' for n, note in notes]
        out.append("</div>")
    elif notes and note_style == "hr":
        out.append("<hr><ol>" + "".join(f"<li>{note}</li>" for _, note in notes) + "</ol>")
    elif notes:
        out += [f'<p id="fn{n}"><sup>{n}</sup> {note}</p>' for n, note in notes]
    out += ["</main><footer><p>Copyright United Nations 2013</p><p>Page 1</p></footer></body></html>"]
    page = "\n".join(out)
    if note_style == "hr":
        return re.sub("\x01(\\d+)\x02", r"<sup>\1</sup>", page)
    return re.sub("\x01(\\d+)\x02", r'<sup><a href="#fn\1" id="fnref\1">\1</a></sup>', page)
