"""Render a Markdown treaty text as plain text, DOCX and PDF for parser tests.

The renderings carry no Markdown markers, as files from negotiators would not:
headings become plain "Article 5 — Title" lines (or the DOCX "Heading" style),
bullets disappear, and the PDF wraps lines at the page width.
"""

from __future__ import annotations

import io
import re

ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"})


def _blocks(md: str) -> list[tuple[str, int, str]]:
    """(kind, indent level, text) for each Markdown line; kind is heading/item/para/blank."""
    out = []
    for raw in md.splitlines():
        if not raw.strip():
            out.append(("blank", 0, ""))
            continue
        indent = (len(raw) - len(raw.lstrip())) // 2
        text = raw.strip()
        if text.startswith("#"):
            out.append(("heading", 0, text.lstrip("#").strip()))
        elif text.startswith("- "):
            out.append(("item", indent, text[2:]))
        else:
            out.append(("para", 0, text))
    return out


def to_text(md: str, split_headings: bool = False) -> str:
    """Plain text; ``split_headings`` writes "Article 5" and its title on two lines."""
    lines = []
    for kind, indent, text in _blocks(md):
        if kind == "heading" and split_headings and " \u2014 " in text:
            head, title = text.split(" \u2014 ", 1)
            lines.extend([head, title])
        elif kind == "item":
            lines.append("    " * indent + text)
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


def to_docx(md: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, indent, text in _blocks(md):
        if kind == "blank":
            continue
        if kind == "heading":
            document.add_heading(text, level=1 if text.startswith("The ") else 2)
        else:
            paragraph = document.add_paragraph(text)
            if indent:
                paragraph.paragraph_format.left_indent = docx.shared.Cm(indent)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_pdf(md: str) -> bytes:
    """A wrapped, multi-page PDF in a core font (so curly quotes become ASCII)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for kind, indent, text in _blocks(md.translate(ASCII)):
        if kind == "blank":
            pdf.ln(3)
        elif kind == "heading":
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
        else:
            pdf.set_x(pdf.l_margin + 8 * indent)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def comparable(text: str) -> str:
    """Texts from different formats compare equal modulo quotes, dashes and spaces."""
    from clamour.lib.alignment.parse import normalise_text

    return re.sub(r"\s+", " ", normalise_text(text))
