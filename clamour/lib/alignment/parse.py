"""Parse a treaty draft (Markdown, plain text, DOCX or PDF) into a provision tree.

Every format is first reduced to the same thing: a list of physical lines, each
knowing whether a paragraph break (blank line, new DOCX paragraph, vertical gap in
a PDF) precedes it. One line joiner then rebuilds logical paragraphs (undoing PDF
line wrapping and end-of-line hyphenation), and one state machine recognises the
treaty structure. Sharing that path is what makes the four formats give the same
tree; format-specific code only produces lines.

Provision ids follow the document's own numbering, because that is what
negotiators quote: ``PP3`` (third preambular paragraph), ``PR2`` (second
principle), ``5.2`` (article 5, paragraph 2), ``9`` (article 9 whose body is a
single unnumbered paragraph). Sub-items get ``5.2(a)`` / ``7.1(b)(i)``.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .docx import DocxError, read_docx
from .htmltext import looks_like_html, read_html

__all__ = [
    "Article",
    "DEFAULT_MAX_BYTES",
    "Document",
    "ParseError",
    "Provision",
    "normalise_text",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "to_markdown",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Far above any single treaty draft (the longest trade agreements run to a few
# thousand pages): beyond these a file is refused rather than given minutes of work.
MAX_PROVISIONS = 20_000
MAX_PDF_PAGES = 3_000


class ParseError(ValueError):
    """The input could not be read as a treaty text; ``str(err)`` is for humans."""


@dataclass
class Provision:
    """A unit of text with its own id.

    ``text`` is the provision's own words (without its number/label);
    ``children`` are its sub-items. ``full_text`` (own text plus sub-items, with
    their labels) is what alignment compares, since sub-items belong to their
    paragraph.
    """

    id: str
    kind: str  # "preamble" | "principle" | "paragraph" | "body" | "item"
    text: str
    label: str = ""  # "3", "(a)", "(ii)" or "" when unnumbered
    article: str | None = None  # article number for article content
    children: list[Provision] = field(default_factory=list)
    # Foot- and endnotes referred to from the provision's text (kept out of it).
    notes: list[str] = field(default_factory=list)
    # The provision's text before the draft's tracked revisions, when its file
    # had any (a Word draft circulated with revisions); "" otherwise.
    before: str = ""

    @property
    def full_text(self) -> str:
        parts = [self.text]
        for child in self.children:
            child_text = child.full_text
            parts.append(f"{child.label} {child_text}" if child.label else child_text)
        return " ".join(p for p in parts if p)


@dataclass
class Article:
    number: str
    title: str = ""
    provisions: list[Provision] = field(default_factory=list)


@dataclass
class Document:
    title: str = ""
    front_matter: list[str] = field(default_factory=list)
    chapeau: str = ""  # "The States Parties to this Treaty," - kept, not a PP
    preamble: list[Provision] = field(default_factory=list)
    principles: list[Provision] = field(default_factory=list)
    agreed_formula: str = ""  # "Have agreed as follows:"
    articles: list[Article] = field(default_factory=list)
    closing: str = ""  # "DONE at New York, ..."
    warnings: list[str] = field(default_factory=list)  # for the analyst's preview

    def provisions(self) -> list[Provision]:
        """Paragraph-level provisions in document order (the unit of alignment)."""
        out = list(self.preamble) + list(self.principles)
        for article in self.articles:
            out.extend(article.provisions)
        return out

    def get(self, provision_id: str) -> Provision:
        for provision in self.provisions():
            if provision.id == provision_id:
                return provision
        raise KeyError(provision_id)


# --------------------------------------------------------------------------- text


_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u00ad": "",  # soft hyphen
        "\u200b": "",
        "\ufeff": "",
    }
)


def normalise_text(text: str) -> str:
    """Typographic normalisation: straight quotes, ASCII dashes, single spaces.

    Used to compare texts that went through different formats (a PDF made with a
    core font cannot carry curly quotes)."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- lines


@dataclass
class _Line:
    text: str
    brk: bool = False  # a paragraph break precedes this line
    heading: int = 0  # Markdown/DOCX heading level, 0 if none
    bullet: bool = False  # was a list item (Markdown "- ", "•", DOCX list style)
    notes: list[str] = field(default_factory=list)  # foot/endnotes referred to
    before: str | None = None  # the paragraph before tracked revisions, if any


_BULLET = re.compile(r"^(?:[-*+\u2022\u2023\u25e6\u2043\u25aa\u25cf]|\d+\\\.)\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _lines_from_text(text: str) -> list[_Line]:
    lines: list[_Line] = []
    brk = True
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            brk = True
            continue
        heading = 0
        bullet = False
        m = _MD_HEADING.match(stripped)
        if m:
            heading, stripped = len(m.group(1)), m.group(2)
        else:
            m = _BULLET.match(stripped)
            if m and not stripped.startswith("**"):
                bullet, stripped = True, stripped[m.end():]
        stripped = _EMPHASIS.sub(r"\2", stripped).replace("\\", "")
        if stripped:
            lines.append(_Line(stripped, brk=brk or heading > 0, heading=heading, bullet=bullet))
            brk = heading > 0
    return lines


def _display_label(label: str) -> str:
    """A list number as the state machine reads typed numbers: "1." / "(a)"."""
    if re.fullmatch(r"\d+", label):
        return f"{label}."
    m = re.fullmatch(r"\d+(?:\.\d+)+\.?", label)
    if m:  # "5.2" in article 5: the paragraph's own number
        return label.rstrip(".").rsplit(".", 1)[-1] + "."
    if re.fullmatch(r"[A-Za-z]{1,4}", label):
        return f"({label})"
    return label


def _lines_from_docx(data: bytes) -> list[_Line]:
    try:
        paragraphs = read_docx(data)
    except DocxError as exc:
        raise ParseError(str(exc)) from exc
    lines: list[_Line] = []
    for paragraph in paragraphs:
        text, label = paragraph.text, paragraph.label
        if label:
            if _ARTICLE.match(label):
                text = f"{label} \u2014 {text.strip()}" if text.strip() else label
            else:
                text = f"{_display_label(label)} {text.strip()}"
        heading, bullet = paragraph.heading, paragraph.bullet
        before = paragraph.before
        if before is not None:
            before = " ".join(before.split())
            if label and not _ARTICLE.match(label):
                before = f"{_display_label(label)} {before}"
            if before == " ".join(text.split()):
                before = None
        first = True
        for part in text.split("\n"):
            part = part.strip()
            if not part:
                continue
            if first and bullet:
                part = _BULLET.sub("", part)
            line = _Line(part, brk=first, heading=heading, bullet=bullet and first)
            if first:
                line.notes = list(paragraph.notes)
                if before is not None:
                    line.before = _BULLET.sub("", before) if bullet else before
            elif before is not None:
                line.before = ""  # the first line's "before" covers the whole paragraph
            lines.append(line)
            first = False
    return lines


def _lines_from_html(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for paragraph in read_html(text):
        body = paragraph.text
        if paragraph.label:
            body = f"{paragraph.label} {body}"
        lines.append(
            _Line(body, brk=True, heading=paragraph.heading, bullet=paragraph.bullet, notes=list(paragraph.notes))
        )
    return lines


_PAGE_NUMBER = re.compile(
    r"^(?:[-\u2013\u2014]\s*\d+\s*[-\u2013\u2014]|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[ivxlc]{1,7})$",
    re.I,
)
# Document symbols as UN and other secretariats print them: A/CONF.217/2013/L.3,
# FCCC/CP/2015/L.9/Rev.1, CTOC/COP/2020/L.5, ST/SGB/2019/8, A/RES/67/234 B.
_SYMBOL = re.compile(r"^[A-Z][A-Za-z]{0,9}(?:/[A-Za-z0-9.\-]+){2,}(?:\s+[A-Z])?\*?$")
_DATE = re.compile(
    r"^\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{4}$"
)
_DISTRIBUTION = re.compile(r"^(?:Distr\.?:?\s*\w+|Original:?\s*\w+|(?:GE|\d{2})[.-]\d{5}.*)$", re.I)
_ZONE = 4  # lines at the top and the bottom of a page where running heads live


def _page_furniture(text: str) -> bool:
    """A line that is never treaty text when printed at a page's top or foot."""
    return bool(
        _PAGE_NUMBER.match(text) or _SYMBOL.match(text) or _DATE.match(text) or _DISTRIBUTION.match(text)
        or all(_SYMBOL.match(part) or _DATE.match(part) or _PAGE_NUMBER.match(part)
               for part in re.split(r"\s{3,}", text))
    )


def _furniture_key(text: str) -> str:
    # Page numbers differ from page to page; the rest of a running line does not.
    # Headings ("Article 7", "Annex I") and numbered paragraphs are text wherever
    # they fall, so only the very same line repeated would count for them.
    text = re.sub(r"\s+", " ", text.strip())
    if _is_marker(text) or _ANNEX.match(text) or _PART.match(text):
        return text.lower()
    return re.sub(r"\d+", "#", text.lower())


def _strip_running_lines(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Drop running headers and footers: page furniture (numbers, symbols, dates)
    and any line repeated in the top or bottom zone of at least half the pages.
    Returns the pages and a note per kind of line removed."""
    zones: list[tuple[list[int], list[int]]] = []
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        top, bottom = filled[:_ZONE], filled[-_ZONE:]
        zones.append((top, bottom))
        counts.update({_furniture_key(lines[i]) for i in set(top + bottom)})
    repeated = {k for k, n in counts.items() if len(pages) >= 3 and n >= max(3, len(pages) / 2)}
    removed: dict[str, list] = {}  # key -> [example text, pages]
    out = []
    for number, (lines, (top, bottom)) in enumerate(zip(pages, zones)):
        drop = set()
        for zone, edge in ((top, "top"), (list(reversed(bottom)), "foot")):
            for i in zone:
                text = lines[i].strip()
                key = _furniture_key(text)
                if (key in repeated and (number > 0 or edge == "foot" or _page_furniture(text))) or (
                    _page_furniture(text)
                ):
                    drop.add(i)
                    removed.setdefault(key, [text, 0])[1] += 1
                else:
                    break  # running lines sit at the very edge of the page
        out.append([ln for i, ln in enumerate(lines) if i not in drop])
    notes = [
        f"A line like \u201c{text}\u201d repeats on {n} pages and was removed as a header or footer."
        if n > 1
        else f"\u201c{text}\u201d at the edge of a page was removed as a page number, date or document symbol."
        for text, n in removed.values()
    ]
    return out, notes


# A footnote at a page's foot starts with its bare number ("1 See document
# A/CONF.217/4."): paragraph numbers have a dot or a bracket ("2. Each State
# Party"), footnote numbers do not. The block sits below a short rule or a gap.
_NOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[A-Z\"'\u201c(]))(\S.*)$")
_RULE = re.compile(r"^(?:_{3,40}|-{3,40}|[\u2013\u2014\u2015\u2500\u2501]{2,40})$")  # a short rule
_NOTE_LINES = 40  # a page's footnotes take no more lines than this
_MARK = "\ue000"  # where a footnote reference was, until its line is built
# Words after which a number is the thing counted, not a footnote reference.
_COUNTED = frozenset(
    "article articles paragraph paragraphs para annex annexes part chapter section rule rules no "
    "protocol resolution decision page pages table figure schedule appendix item items level "
    "category categories list option alternative principle step phase group version draft "
    "and or to of than within by at from with for in on over under about least up every per "
    "year years day days month months week weeks".split()
)


@dataclass
class _Footnote:
    number: int
    text: str
    at: tuple[int, int] | None = None  # (body line, column) of its reference mark


def _note_block(lines: list[str]) -> list[_Footnote] | None:
    """The footnotes in ``lines`` (the foot of a page from a note's first line
    down), or None if they do not read as footnotes: numbers follow each other,
    a note's wrapped lines are single-spaced, a gap comes only before a note."""
    notes: list[_Footnote] = []
    gap = False
    for raw in lines:
        text = raw.strip()
        if not text:
            gap = True
            continue
        m = _NOTE_START.match(text)
        if m and (not notes or int(m.group(1)) == notes[-1].number + 1):
            notes.append(_Footnote(int(m.group(1)), m.group(2).strip()))
        elif notes and not gap and not _RULE.match(text):
            last = notes[-1]
            if last.text.endswith("-") and text[:1].islower():
                last.text = last.text[:-1] + text
            else:
                last.text = f"{last.text} {text}"
        else:
            return None
        gap = False
    return notes or None


def _note_reference(lines: list[str], number: int, first: int) -> tuple[int, int, int] | None:
    """Where footnote ``number`` is referred to in a page's body: a number glued
    to a word or to its punctuation ("arms1", "arms,1", "(ATT)1"), or, when
    there is none, set apart after a word at a clause's or line's end ("treaty 1").
    Searched from line ``first`` on, then from the top. Returns (line, start, end)
    of the characters to remove."""
    glued = re.compile(
        rf"(?:(?<=[a-z])|(?<=[a-z][.,;:])|(?<=[A-Za-z][)\]\"'\u2019\u201d])){number}(?=[\s,.;:)]|$)"
    )
    spaced = re.compile(rf"(?<=[A-Za-z])([.,;:]?) {number}(?=[,.;:]?$|[,.;:]\s)")
    order = list(range(first, len(lines))) + list(range(first))
    for i in order:
        m = glued.search(lines[i])
        if m:
            return i, m.start(), m.end()
    for i in order:
        for m in spaced.finditer(lines[i]):
            word = re.search(r"([A-Za-z]+)$", lines[i][: m.start()])
            if word and word.group(1).lower() not in _COUNTED:
                return i, m.start() + len(m.group(1)), m.end()
    return None


def _split_footnotes(lines: list[str]) -> tuple[list[str], list[_Footnote]]:
    """Take the footnotes printed at the foot of a page out of its text.

    A block of lines at the foot (what is left once the running lines are gone)
    is footnotes when each note starts with its bare number, the block follows a
    rule line or a gap, and - when there is no rule - the first note's number is
    found as a reference mark in the page's text. Returns the page's text with
    each reference mark replaced by ``_MARK``, and the notes (in the order of
    their marks; those without one last)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    found = None
    for k in range(len(filled) - 1, max(0, len(filled) - _NOTE_LINES) - 1, -1):
        if k == 0:
            break
        i, above = filled[k], filled[k - 1]
        if not _NOTE_START.match(lines[i].strip()):
            continue
        rule = bool(_RULE.match(lines[above].strip()))
        if not rule and above == i - 1:
            continue  # no gap: a wrapped line of the text, not a note
        notes = _note_block(lines[i:])
        body = lines[: above if rule else i]
        if notes is None or not any(line.strip() for line in body):
            continue
        if not rule and _note_reference(body, notes[0].number, 0) is None:
            continue
        found = (body, notes)  # keep going up: the topmost block wins
    if found is None:
        return lines, []
    body, notes = found
    refs = []
    first = 0
    for note in notes:
        ref = _note_reference(body, note.number, first)
        refs.append(ref)
        first = ref[0] if ref else first
    body = list(body)
    marked = sorted(((ref, note) for ref, note in zip(refs, notes) if ref), key=lambda p: p[0][:2], reverse=True)
    for (i, start, end), note in marked:
        body[i] = body[i][:start] + _MARK + body[i][end:]
        note.at = (i, start)
    ordered = sorted((n for n in notes if n.at), key=lambda n: n.at) + [n for n in notes if not n.at]
    return body, ordered


def _attach_footnotes(lines: list[_Line], footnotes: list[_Footnote], page: int, warnings: list[str]) -> None:
    """Give each footnote to the line that referred to it (its paragraph's
    provision takes it as a note), taking the marks out of the text. A note
    whose mark was not found goes to the page's last line, and the analyst is told."""
    referenced = [note for note in footnotes if note.at]
    for line in lines:
        count = line.text.count(_MARK)
        if count:
            line.notes.extend(note.text for note in referenced[:count])
            del referenced[:count]
            line.text = re.sub(r" {2,}", " ", line.text.replace(_MARK, "")).strip()
    if referenced and lines:  # a mark whose line was dropped: the note still stays a note
        lines[-1].notes.extend(note.text for note in referenced)
    for note in footnotes:
        if not note.at and lines:
            lines[-1].notes.append(note.text)
            warnings.append(
                f"Footnote {note.number} on page {page} has no reference mark in the text; "
                "it was kept as a note of the page's last provision."
            )


def _lines_from_pdf(data: bytes, notes: list[str]) -> list[_Line]:
    try:
        import pypdf
    except ImportError as exc:  # pragma: no cover - pinned in requirements
        raise ParseError("PDF support is not installed (pypdf).") from exc
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ParseError("This PDF is encrypted; please upload an unprotected copy.")
        page_count = len(reader.pages)
        if page_count > MAX_PDF_PAGES:
            raise ParseError(
                f"This PDF has {page_count:,} pages (limit {MAX_PDF_PAGES:,}); "
                "that is not a single treaty draft, so it was not read."
            )
        # Layout mode keeps vertical gaps as blank lines: that is how we see
        # paragraph breaks, which plain extraction loses.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(f"This file could not be read as a PDF: {exc}") from exc
    page_lines, removed = _strip_running_lines([page.replace(_MARK, "").splitlines() for page in pages])
    notes.extend(removed)
    lines: list[_Line] = []
    for number, kept in enumerate(page_lines, 1):
        kept, footnotes = _split_footnotes(kept)
        page_part = _lines_from_text("\n".join(kept))
        if footnotes:
            _attach_footnotes(page_part, footnotes, number, notes)
        if page_part:
            # A page break is not a paragraph break: the joiner decides.
            page_part[0].brk = False if lines else True
        lines.extend(page_part)
    if not any(line.text.strip() for line in lines):
        raise ParseError("No text could be extracted from this PDF (is it a scanned image?).")
    return lines


# ------------------------------------------------------------------- recognisers

_ARTICLE = re.compile(
    r"^(?:Article|ARTICLE|Art\.)\s+(\d+(?:\s?(?:bis|ter|quater))?|[IVXLC]+)"
    r"\s*(?:(?:[\u2014\u2013:|]|-{1,2}|\s[-.]\s)\s*(?P<title>\S.*))?$"
)
_SECTION = re.compile(r"^(Preamble|Principles|PREAMBLE|PRINCIPLES)\s*:?$")
_PART = re.compile(r"^(?:Part|PART|Chapter|CHAPTER|Section|SECTION)\s+[IVXLC\d]+\b.{0,80}$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_SUBITEM = re.compile(r"^(?:\(([a-z]{1,4}|[A-Z])\)|([a-z]{1,4})\))\s+(\S.*)$")
# How treaty preambles open: "The States Parties to this Treaty,", "The Parties to
# this Agreement,", "The High Contracting Parties,", "The Conference of the
# Parties,", "The Governments of ...", "The General Assembly,".
_CHAPEAU = re.compile(
    r"^(?:The\s+(?:States|High Contracting|Contracting|Member|Parties|Conference|Governments?|"
    r"General Assembly|Heads of State|Signatory|Signatories)\b.{0,100}"
    r"|[A-Z][\w ,-]{0,80}\bParties to (?:this|the present) \w+)[,:]$"
)
_ANNEX = re.compile(
    r"^(?:Annex|ANNEX|Appendix|APPENDIX)(?:\s+(?P<n>[IVXLC]+|\d{1,3}|[A-Z]))?\.?"
    r"(?:\s*(?:[\u2014\u2013:]|-{1,2}|\s[-.])\s*(?P<title>\S.*))?$"
)
_AGREED = re.compile(r"^(?:Have|Hereby|have)\s+(?:agreed|decided)\b.{0,30}$")
_CLOSING = re.compile(r"^(?:DONE|Done)\s+at\b|^IN WITNESS WHEREOF", re.I)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_TERMINAL = (".", ";", ":", ",", "?", "!")


def _is_marker(text: str) -> bool:
    return bool(
        _ARTICLE.match(text)
        or _SECTION.match(text)
        or _NUMBERED.match(text)
        or _SUBITEM.match(text)
        or _CLOSING.match(text)
        or _AGREED.match(text)
    )


def _roman_value(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for i, ch in enumerate(label):
        v = values[ch]
        total += -v if i + 1 < len(label) and values[label[i + 1]] > v else v
    return total


# --------------------------------------------------------------------- joining


def _wrap_width(lines: list[_Line]) -> int:
    lengths = sorted(len(line.text) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _dehyphenate(left: str, right: str, vocab: Counter[str]) -> str:
    """Join "authori-" + "zation ..." undoing a typesetter's hyphenation. The
    hyphen stays when the document itself writes the hyphenated form more often
    than the joined one ("trans-shipment"), or, when it writes neither, when
    both halves are words the document uses on their own ("end-" "user")."""
    head = re.search(r"(\w+)-$", left)
    tail = re.match(r"(\w+)", right)
    if head and tail:
        joined = (head.group(1) + tail.group(1)).lower()
        hyphenated = f"{head.group(1)}-{tail.group(1)}".lower()
        if vocab[joined] > vocab[hyphenated]:
            return left[:-1] + right
        if not vocab[hyphenated] and not vocab[joined]:
            halves_are_words = vocab[head.group(1).lower()] > 0 and vocab[tail.group(1).lower()] > 0
            if not halves_are_words:
                return left[:-1] + right
    return left + right


@dataclass
class _Para:
    text: str
    heading: int = 0
    bullet: bool = False
    notes: list[str] = field(default_factory=list)
    befores: list[str] = field(default_factory=list)  # its lines before tracked revisions
    revised: bool = False

    def take(self, line: _Line) -> None:
        self.notes.extend(line.notes)
        if line.before is not None:
            self.revised = True
            if line.before:
                self.befores.append(line.before)
        else:
            self.befores.append(line.text)

    @property
    def before(self) -> str | None:
        return " ".join(self.befores) if self.revised else None


def _join(lines: list[_Line]) -> list[_Para]:
    """Rebuild logical paragraphs from physical lines (undo wrapping)."""
    width = _wrap_width(lines)
    # Hard-wrapped text has many lines of nearly the same (maximal) length.
    wrapped = sum(len(ln.text) >= 0.85 * width for ln in lines) >= 0.3 * len(lines)
    # The document's own words, without the halves of words broken at line
    # ends (which would otherwise vouch for themselves as words).
    vocab: Counter[str] = Counter()
    broken = False
    for line in lines:
        words = re.findall(r"\w+(?:-\w+)*", line.text)
        if broken and words:
            words = words[1:]
        broken = bool(re.search(r"\w-$", line.text))
        if broken and words:
            words = words[:-1]
        vocab.update(w.lower() for w in words)
    paras: list[_Para] = []
    prev_line: _Line | None = None
    prev_closes = False  # previous line was a heading or an article title
    prev_title = False  # previous line was (part of) an article's title
    for index, line in enumerate(lines):
        text = line.text
        new = True
        if prev_line is not None and paras and not line.brk and not line.heading:
            ptext = prev_line.text
            if (
                prev_closes
                and (prev_title or (not _is_bare_article(ptext) and _ARTICLE.match(ptext)))
                and (_FUNCTION_END.search(ptext) or text[:1].islower())
                and not _is_marker(text)
            ):
                new = False  # a long article title wrapped onto the next line
            elif prev_closes or line.bullet:
                new = True
            elif _is_marker(text) and _ends_clause(ptext):
                new = True
            elif re.search(r"\w-$", ptext):
                new = False
            elif text[:1].islower() or text[:1].isdigit() or text[:1] in "([,;.":
                new = False
            elif ptext.endswith((";", ":", "?", "!")):
                new = True  # list items and clauses end so; a capital follows
            elif ptext.endswith((".", ",")):
                # In wrapped text (PDF) a full-width line was broken by the layout
                # even after a full stop; a short line ends its paragraph.
                new = not (wrapped and len(ptext) >= 0.85 * width) and not _abbreviation_end(ptext)
            else:
                new = False
        if new:
            paras.append(_Para(text, heading=line.heading, bullet=line.bullet))
            paras[-1].take(line)
        else:
            paras[-1].take(line)
            last = paras[-1]
            if re.search(r"\w-$", last.text):
                last.text = _dehyphenate(last.text, text, vocab)
            else:
                last.text = f"{last.text} {text}"
        m = _ARTICLE.match(paras[-1].text)
        if new and prev_line is not None and _is_bare_article(prev_line.text):
            # The line after a bare "Article N" is its title when it reads like
            # one and is short, or - however long - when what follows starts
            # a new paragraph (a title is not the first line of a wrapped one).
            after = lines[index + 1] if index + 1 < len(lines) else None
            is_title = _title_start(text) and (
                len(text) < 0.7 * max(width, 60)
                or after is None
                or after.brk
                or after.heading > 0
                or _is_marker(after.text)
                or (after.text[:1].isupper() and not _FUNCTION_END.search(text))
            )
        else:
            is_title = prev_title and not new
        prev_title = is_title
        prev_closes = bool(line.heading or _SECTION.match(text) or is_title or m)
        prev_line = line
    return paras


def _is_bare_article(text: str) -> bool:
    m = _ARTICLE.match(text)
    return bool(m and not m.group("title"))


def _ends_clause(text: str) -> bool:
    """Could a list item or numbered paragraph start after this line?"""
    return text.endswith(_TERMINAL) or text.endswith(")") or bool(
        re.search(r"[;,]\s+(?:and|or)$", text)
    )


def _abbreviation_end(text: str) -> bool:
    return bool(re.search(r"\b(?:No|Art|para|e\.g|i\.e|etc|cf|Mr|Ms|Dr|St|vol|p)\.$", text))


MAX_TITLE_WORDS = 30
_FUNCTION_END = re.compile(r"(?:\b(?:and|or|of|the|to|in|for|with|by|on|an?|under|from|at|that)|,)$", re.I)


def _title_start(text: str) -> bool:
    """The first line of a title, which may wrap after a function word."""
    return (
        len(text.split()) <= MAX_TITLE_WORDS
        and not text.endswith((".", ";", ",", ":"))
        and text[:1].isupper()
        and not _is_marker(text)
    )


def _looks_like_title(text: str) -> bool:
    return (
        len(text.split()) <= MAX_TITLE_WORDS
        and not _FUNCTION_END.search(text)
        and not text.endswith((".", ";", ",", ":"))
        and text[:1].isupper()
        and not _is_marker(text)
    )


# ---------------------------------------------------------------------- building


class _Builder:
    def __init__(self) -> None:
        self.doc = Document()
        self.section = "front"
        self.article: Article | None = None
        self.current: Provision | None = None  # paragraph-level provision
        self.letter: Provision | None = None  # current (a) item
        self.roman: Provision | None = None  # current (i) item
        self.expect_title = False
        self.closing: list[str] = []
        self.ids: set[str] = set()
        self.next_suffix: dict[str, int] = {}  # base id -> next "~n" to try
        self.count = 0
        self.pending_notes: list[str] = []
        self.befores: dict[str, list[str]] = {}  # provision id -> its paragraphs before revisions
        self.afters: dict[str, list[str]] = {}  # ... and as read (revisions accepted)
        self.revised: set[str] = set()
        self.sizes: dict[str, int] = {}

    def unique(self, pid: str) -> str:
        """``pid``, or ``pid~2``, ``pid~3``... when the document repeats a number.
        Each base remembers where its suffixes got to, so n repeats cost O(n)."""
        self.count += 1
        if self.count > MAX_PROVISIONS:
            raise ParseError(
                f"The document has more than {MAX_PROVISIONS:,} provisions; "
                "that is not a single treaty draft, so it was not read."
            )
        if pid in self.ids:
            base = pid
            n = self.next_suffix.get(base, 2)
            while f"{base}~{n}" in self.ids:
                n += 1
            pid = f"{base}~{n}"
            self.next_suffix[base] = n + 1
        self.ids.add(pid)
        return pid

    def add(self, para: _Para) -> None:
        """Route one paragraph, then give its notes (and, for a draft with
        tracked revisions, its text before them) to the provision it went to;
        notes on a heading wait for the next provision."""
        self.pending_notes.extend(para.notes)
        before = self.target()
        self._route(para)
        target = self.target()
        if target is None:
            return
        grew = self.grew(target)
        if target is before and not grew:
            return
        target.notes.extend(self.pending_notes)
        self.pending_notes = []
        self.afters.setdefault(target.id, []).append(para.text.strip())
        self.befores.setdefault(target.id, []).append(
            para.before.strip() if para.before is not None else para.text.strip()
        )
        if para.revised:
            self.revised.add(target.id)

    def target(self) -> Provision | None:
        """The paragraph-level provision text goes to now."""
        if self.section == "preamble":
            return self.doc.preamble[-1] if self.doc.preamble else None
        if self.section == "principles":
            return self.doc.principles[-1] if self.doc.principles else None
        if self.section == "articles":
            return self.current
        return None

    def grew(self, provision: Provision) -> bool:
        size = len(provision.full_text)
        grew = size != self.sizes.get(provision.id)
        self.sizes[provision.id] = size
        return grew

    def _route(self, para: _Para) -> None:
        text = para.text.strip()
        if self.closing:
            self.closing.append(text)
            return
        if self.expect_title:
            self.expect_title = False
            if self.article is not None and _looks_like_title(text) and not para.bullet:
                self.article.title = text
                return
        if self.section != "articles" or para.heading:
            if self._section_heading(para, text):
                return
        m = _ARTICLE.match(text)
        if m and (para.heading or not para.bullet):
            self._start_article(m.group(1).replace(" ", ""), (m.group("title") or "").strip())
            return
        m = _ANNEX.match(text)
        if m and self.section == "articles" and (para.heading or not para.bullet) and len(text.split()) <= 16:
            self._start_article(f"Annex {m.group('n')}" if m.group("n") else "Annex", (m.group("title") or "").strip())
            return
        if _CLOSING.match(text) and (self.section == "articles"):
            self.closing.append(text)
            return
        if _PART.match(text) and (para.heading or len(text.split()) <= 12):
            if not text.endswith((".", ";", ",")):
                return  # Part/Chapter headings group articles; ids do not use them.
        if para.heading and self.section == "front" and not self.doc.title:
            self.doc.title = text
            return
        getattr(self, f"_in_{self.section}")(para, text)

    def _section_heading(self, para: _Para, text: str) -> bool:
        m = _SECTION.match(text)
        if m:
            self.section = m.group(1).lower()
            return True
        if _AGREED.match(text) and self.section in ("front", "preamble", "principles"):
            self.doc.agreed_formula = text
            return True
        if self.section in ("front", "preamble") and _CHAPEAU.match(text) and not self.doc.chapeau:
            self.doc.chapeau = text
            self.section = "preamble"
            return True
        return False

    def _in_front(self, para: _Para, text: str) -> None:
        if not self.doc.title:
            self.doc.title = text
        else:
            self.doc.front_matter.append(text)

    def _in_preamble(self, para: _Para, text: str) -> None:
        n = len(self.doc.preamble) + 1
        label = str(n)
        # Lettered or numbered preambular paragraphs ("(a) Recalling", "b) Noting",
        # "3. Recognizing"): the label is the paragraph's number, not its text.
        m = _SUBITEM.match(text)
        if m and len(m.group(1) or m.group(2)) == 1:
            label, text = f"({m.group(1) or m.group(2)})", m.group(3)
        else:
            m = _NUMBERED.match(text)
            if m:
                label, text = m.group(1), m.group(2)
        self.doc.preamble.append(Provision(self.unique(f"PP{n}"), "preamble", text, label))

    def _in_principles(self, para: _Para, text: str) -> None:
        n = len(self.doc.principles) + 1
        self.doc.principles.append(Provision(self.unique(f"PR{n}"), "principle", text, str(n)))

    def _start_article(self, number: str, title: str) -> None:
        self.section = "articles"
        self.article = Article(number, title)
        self.doc.articles.append(self.article)
        self.current = self.letter = self.roman = None
        self.expect_title = not title

    def _in_articles(self, para: _Para, text: str) -> None:
        article = self.article
        assert article is not None
        m = _NUMBERED.match(text)
        if m and not para.heading:
            pid = self.unique(f"{article.number}.{int(m.group(1))}")
            self.current = Provision(pid, "paragraph", m.group(2), m.group(1), article.number)
            article.provisions.append(self.current)
            self.letter = self.roman = None
            return
        m = _SUBITEM.match(text)
        if m:
            self._sub_item((m.group(1) or m.group(2)), m.group(3), article)
            return
        if self.current is None:
            self.current = Provision(self.unique(article.number), "body", text, "", article.number)
            article.provisions.append(self.current)
            return
        # Unlabelled bullet or continuation text ("for the purpose of:") stays
        # with the paragraph it follows.
        self._child(self.current, "", text)
        self.letter = self.roman = None

    def _child(self, parent: Provision, label: str, text: str) -> Provision:
        suffix = f"({label})" if label else f"[{len(parent.children) + 1}]"
        child = Provision(parent.id + suffix, "item", text, f"({label})" if label else "", parent.article)
        parent.children.append(child)
        return child

    def _sub_item(self, label: str, text: str, article: Article) -> None:
        if self.current is None:
            self.current = Provision(self.unique(article.number), "body", "", "", article.number)
            article.provisions.append(self.current)
        is_roman = bool(_ROMAN.match(label)) and self.letter is not None
        if is_roman and self.letter is not None:
            last_letter = self.letter.label.strip("()")
            if len(label) == 1 and len(last_letter) == 1 and ord(label) == ord(last_letter) + 1:
                is_roman = label == "i" and self.roman is not None  # (h) then (i): letter
            if self.roman is not None:
                is_roman = _roman_value(label) == _roman_value(self.roman.label.strip("()")) + 1
            elif label != "i":
                is_roman = False
        if label.isupper() and self.roman is not None:
            self._child(self.roman, label, text)
        elif is_roman and self.letter is not None:
            self.roman = self._child(self.letter, label, text)
        else:
            self.letter = self._child(self.current, label, text)
            self.roman = None

    def finish(self) -> Document:
        self.doc.closing = " ".join(self.closing)
        if self.revised:
            for provision in self.doc.provisions():
                if provision.id in self.revised:
                    before = " ".join(" ".join(b for b in self.befores[provision.id] if b).split())
                    after = " ".join(" ".join(self.afters[provision.id]).split())
                    own = " ".join(provision.full_text.split())
                    # Drop the number in front ("3.", "(b)") as the provision's text does.
                    prefix = after[: len(after) - len(own)] if own and after.endswith(own) else ""
                    if prefix and before.startswith(prefix):
                        before = before[len(prefix):]
                    provision.before = before
        return self.doc


# ------------------------------------------------------------------ rendering


def to_markdown(doc: Document) -> str:
    """The document as Markdown that parses back to the same structure: what an
    analyst edits to fix a structure before a draft is stored."""
    out = [f"# {doc.title}" if doc.title else "", ""]
    for line in doc.front_matter:
        out += [line, ""]
    if doc.chapeau or doc.preamble:
        out += ["## Preamble", ""]
        if doc.chapeau:
            out += [doc.chapeau, ""]
        for p in doc.preamble:
            label = p.label if p.label.startswith("(") else ""
            out += [f"{label} {p.text}".strip(), ""]
    if doc.principles:
        out += ["## Principles", ""]
        out += [f"- {p.text}" for p in doc.principles] + [""]
    if doc.agreed_formula:
        out += [doc.agreed_formula, ""]
    for article in doc.articles:
        head = article.number if article.number.startswith("Annex") else f"Article {article.number}"
        out += [f"## {head} \u2014 {article.title}" if article.title else f"## {head}", ""]
        for p in article.provisions:
            if p.text or p.label:
                out.append(f"{p.label}. {p.text}" if p.label else p.text)
            _children_markdown(p, 1, out)
            out.append("")
    if doc.closing:
        out += [doc.closing, ""]
    return "\n".join(out).strip() + "\n"


def _children_markdown(parent: Provision, depth: int, out: list[str]) -> None:
    for child in parent.children:
        if child.label:
            out.append("   " * depth + f"- {child.label} {child.text}")
        else:
            out += ["", child.text]
        _children_markdown(child, depth + 1, out)


# ------------------------------------------------------------------------- API


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ParseError("This file looks binary, not text; upload .md, .txt, .docx or .pdf.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f"))
    if text and bad / len(text) > 0.02:
        raise ParseError("This file does not look like readable text (wrong format or encoding?).")
    return text


def _detect_format(data: bytes, name: str) -> str:
    fmt = name.lower().rsplit(".", 1)[-1] if name else ""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if fmt in ("html", "htm", "xhtml") or looks_like_html(data):
        return "html"
    if fmt in ("pdf", "docx"):
        raise ParseError(f"This file is named .{fmt} but is not a valid {fmt.upper()} file.")
    if fmt in ("doc", "odt", "rtf"):
        raise ParseError(f".{fmt} files are not supported; save as .docx, .pdf or plain text.")
    return "text"


def _build(lines: list[_Line], notes: list[str] | None = None) -> Document:
    if not lines:
        raise ParseError("The document is empty.")
    builder = _Builder()
    for para in _join(lines):
        builder.add(para)
    doc = builder.finish()
    if not doc.articles:
        raise ParseError(
            "No articles were found. A treaty draft needs headings such as 'Article 1' "
            "(optionally followed by a title) on their own line."
        )
    if not doc.provisions() or all(not p.full_text for p in doc.provisions()):
        raise ParseError("The articles contain no text.")
    doc.warnings = list(notes or []) + _structure_warnings(doc)
    return doc


def _structure_warnings(doc: Document) -> list[str]:
    """What an analyst should look at before storing a draft."""
    out = []
    if not doc.preamble and not doc.chapeau:
        out.append("No preamble was found.")
    for article in doc.articles:
        if not article.provisions:
            out.append(f"Article {article.number} has no text.")
        elif len(article.provisions) == 1 and article.provisions[0].kind == "body" and len(
            article.provisions[0].full_text.split()
        ) > 250:
            out.append(
                f"Article {article.number} has no numbered paragraphs but "
                f"{len(article.provisions[0].full_text.split())} words; check it was not run together."
            )
    duplicates = [p.id for p in doc.provisions() if "~" in p.id]
    if duplicates:
        out.append(
            f"{len(duplicates)} provision numbers repeat within their article "
            f"({', '.join(duplicates[:5])}{', ...' if len(duplicates) > 5 else ''})."
        )
    headings = [p.id for p in doc.provisions() if _looks_like_title(p.full_text) and len(p.full_text.split()) <= 8]
    if headings:
        out.append(
            f"{len(headings)} provision{'s look' if len(headings) > 1 else ' looks'} like "
            f"a heading ({', '.join(headings[:5])})."
        )
    seen: dict[str, int] = {}
    for article in doc.articles:
        seen[article.number] = seen.get(article.number, 0) + 1
    repeated = [n for n, c in seen.items() if c > 1]
    if repeated:
        out.append(f"Article numbers repeat: {', '.join(repeated[:5])}.")
    return out


def parse_text(text: str, max_chars: int | None = None) -> Document:
    """Parse Markdown or plain text. Raises ``ParseError`` on unusable input."""
    if not isinstance(text, str):
        raise ParseError("Expected text.")
    if max_chars is not None and len(text) > max_chars:
        raise ParseError(f"The text is too long ({len(text):,} characters; limit {max_chars:,}).")
    try:
        return _build(_lines_from_text(text))
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must still reach the user as a clear error
        raise ParseError(f"The text could not be parsed ({type(exc).__name__}).") from exc


def parse_bytes(data: bytes, filename_or_format: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Parse an uploaded file. ``filename_or_format`` is a file name or one of
    ``md``/``txt``/``docx``/``pdf``; the content itself is sniffed as well."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError("Expected file contents as bytes.")
    data = bytes(data)
    if len(data) > max_bytes:
        raise ParseError(f"The file is too large ({len(data):,} bytes; limit {max_bytes:,}).")
    if not data.strip():
        raise ParseError("The file is empty.")
    try:
        fmt = _detect_format(data, filename_or_format)
        if fmt == "pdf":
            notes: list[str] = []
            return _build(_lines_from_pdf(data, notes), notes)
        if fmt == "docx":
            return _build(_lines_from_docx(data))
        if fmt == "html":
            return _build(_lines_from_html(_decode(data)))
        return _build(_lines_from_text(_decode(data)))
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(f"The file could not be parsed ({type(exc).__name__}).") from exc


def parse_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ParseError(f"{path.name} is too large ({size:,} bytes; limit {max_bytes:,}).")
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    return parse_bytes(data, path.name, max_bytes=max_bytes)
