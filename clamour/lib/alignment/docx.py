"""Read a Word (.docx) draft as Word shows it, treating the file as hostile.

A .docx is a zip of XML parts. Drafts come from outside parties, so the zip and
its XML are read under limits, streaming, never inflated whole into memory:

- each member's *declared* inflated size is checked before it is opened, and the
  *actual* inflated bytes are counted while reading (a forged header does not
  help: the stream stops at the limit);
- the document part is fed to expat in chunks; the small styles and numbering
  parts (at most a few MB) are parsed whole by lxml with entities unresolved;
  a document type declaration (the way to entity expansion and external
  entities) is refused, and the number of XML tags is capped (counted in each
  chunk before any parser sees it).

What is read: ``word/document.xml`` in body order (paragraphs inside tables
included), with tracked changes accepted (insertions kept, deletions and
moved-from text dropped, a deleted paragraph mark joining two paragraphs);
paragraph numbering computed from ``word/numbering.xml`` (list instances,
``startOverride``, multi-level lists, numbering set by paragraph styles) and
written in front of the text as Word displays it; headings recognised by
style or outline level from ``word/styles.xml``. Footnotes and endnotes live
in their own parts: their text never enters a paragraph, it is attached to the
paragraph that refers to it (``notes``). Comments, headers and footers are not
read. A paragraph with tracked revisions also keeps its text as it stood before
them (``before``: insertions left out, deletions kept), so a draft circulated
with revisions can show them as its own redline.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

__all__ = [
    "DocxLimits",
    "DocxParagraph",
    "read_docx",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SEP = "\x01"  # namespace separator given to expat


class DocxError(ValueError):
    """Raised with a message for people; the caller turns it into a ParseError."""


@dataclass(frozen=True)
class DocxLimits:
    max_members: int = 2000  # entries in the zip
    max_part_bytes: int = 32 * 1024 * 1024  # inflated size of the document part
    max_small_part_bytes: int = 4 * 1024 * 1024  # styles and numbering, parsed whole
    max_total_declared: int = 512 * 1024 * 1024  # sum of all members' declared sizes
    max_tags: int = 800_000  # XML tags (start, end or empty) over all parts read


@dataclass
class DocxParagraph:
    text: str
    heading: int = 0  # 1..9, 0 if not a heading
    bullet: bool = False
    label: str = ""  # automatic number as displayed ("1.", "(a)"), "" if none
    notes: list[str] = field(default_factory=list)  # foot/endnote texts it refers to
    before: str | None = None  # the text before tracked revisions, when it has any
    note_ids: list[tuple[str, str]] = field(default_factory=list)  # ("footnote", "3")


# ----------------------------------------------------------------- zip + XML


class _Reader:
    """Streams zip members through expat under the limits."""

    def __init__(self, data: bytes, limits: DocxLimits) -> None:
        self.limits = limits
        self.tags = 0  # "<" seen over all parts read
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise DocxError(f"This file could not be opened as a Word (.docx) document: {exc}") from exc
        if len(infos) > limits.max_members:
            raise DocxError(
                f"This Word file holds {len(infos):,} parts (limit {limits.max_members:,}); "
                "it is not an ordinary document and was not read."
            )
        total = sum(info.file_size for info in infos)
        if total > limits.max_total_declared:
            raise DocxError(
                f"This Word file would expand to {total / 1048576:,.0f} MB "
                f"(limit {limits.max_total_declared / 1048576:,.0f} MB); it was not read."
            )
        self.names = {info.filename: info for info in infos}

    def has(self, name: str) -> bool:
        return name in self.names

    def tree(self, name: str):
        """A small part (styles, numbering) parsed whole with lxml, which is much
        faster than Python callbacks for the thousands of formatting elements
        such parts hold. Bounded by ``max_small_part_bytes`` and the tag count;
        a DTD is refused and entities are never resolved."""
        from lxml import etree

        info = self.names[name]
        limit = self.limits.max_small_part_bytes
        if info.file_size > limit:
            raise DocxError(self._too_big(name, info.file_size, limit=limit))
        chunks = []
        read = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(64 * 1024):
                    read += len(chunk)
                    if read > limit:
                        raise DocxError(self._too_big(name, read, actual=True, limit=limit))
                    self.tags += chunk.count(b"<")
                    self._check_tags()
                    chunks.append(chunk)
        except DocxError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise DocxError(f"This Word file is damaged ({name}: {exc}).") from exc
        data = b"".join(chunks)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise DocxError(f"{name} declares a document type; Word files never do, so it was not read.")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise DocxError(f"This Word file is damaged ({name}: {exc}).") from exc

    def _check_tags(self) -> None:
        if self.tags > self.limits.max_tags:
            raise DocxError(
                f"This Word file has more than {self.limits.max_tags:,} XML tags, "
                "far more than an ordinary document; it was not read."
            )

    def parse(self, name: str, handler: _Handler) -> None:
        info = self.names[name]
        limit = self.limits.max_part_bytes
        if info.file_size > limit:
            raise DocxError(self._too_big(name, info.file_size))
        parser = expat.ParserCreate(namespace_separator=_SEP)
        parser.buffer_text = True

        def refuse_doctype(*_args) -> None:
            raise DocxError(f"{name} declares a document type; Word files never do, so it was not read.")

        parser.StartDoctypeDeclHandler = refuse_doctype
        parser.EntityDeclHandler = refuse_doctype
        parser.ExternalEntityRefHandler = refuse_doctype
        # A handler's start() returns True to skip the element's subtree; the
        # subtree then only moves a depth counter (most of a styles part is
        # table and character formatting that nothing here needs).
        depth = 0

        def start(tag: str, attrs: dict) -> None:
            nonlocal depth
            if handler.start(tag, attrs):
                depth = 1
                parser.StartElementHandler = skip_start
                parser.EndElementHandler = skip_end
                parser.CharacterDataHandler = None

        def skip_start(tag: str, attrs: dict) -> None:
            nonlocal depth
            depth += 1

        def skip_end(tag: str) -> None:
            nonlocal depth
            depth -= 1
            if not depth:
                parser.StartElementHandler = start
                parser.EndElementHandler = handler.end
                parser.CharacterDataHandler = handler.text

        parser.StartElementHandler = start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        read = 0
        try:
            with self.zip.open(info) as stream:
                while True:
                    # Small chunks: the element count is checked between them,
                    # so a flood of elements is stopped early.
                    chunk = stream.read(64 * 1024)
                    if not chunk:
                        break
                    read += len(chunk)
                    if read > limit:
                        raise DocxError(self._too_big(name, read, actual=True))
                    # Every tag starts with "<": counting them in C bounds the
                    # number of elements before expat sees the chunk.
                    self.tags += chunk.count(b"<")
                    self._check_tags()
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except DocxError:
            raise
        except expat.ExpatError as exc:
            raise DocxError(f"This Word file is damaged ({name}: {expat.ErrorString(exc.code)}).") from exc
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise DocxError(f"This Word file is damaged ({name}: {exc}).") from exc

    def _too_big(self, name: str, size: int, actual: bool = False, limit: int | None = None) -> str:
        limit = limit or self.limits.max_part_bytes
        what = "expands to more than" if actual else "would expand to"
        shown = limit if actual else size
        return (
            f"The Word file's {name} {what} {shown / 1048576:,.0f} MB "
            f"(limit {limit / 1048576:,.0f} MB); it was not read."
        )


class _Handler:
    def start(self, tag: str, attrs: dict) -> bool | None:
        """Called for each element; return True to skip its subtree."""

    def end(self, tag: str) -> None: ...

    def text(self, data: str) -> None: ...


_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    """``w:p`` -> ``p``; other namespaces keep theirs as ``{ns}name``."""
    local = _LOCAL.get(tag)
    if local is None:
        ns, _, name = tag.rpartition(_SEP)
        local = name if ns == W else f"{{{ns}}}{name}" if ns else name
        if len(_LOCAL) < 10_000:
            _LOCAL[tag] = local
    return local


def _val(attrs: dict, name: str = "val") -> str | None:
    return attrs.get(f"{W}{_SEP}{name}")


# ----------------------------------------------------------------- styles


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


class _Styles:
    """Paragraph styles: name, base style, numbering and outline level."""

    def __init__(self) -> None:
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None

    def resolved(self, style_id: str | None) -> _Style:
        """The style with inherited numbering/outline filled in from basedOn."""
        out = _Style()
        seen: set[str] = set()
        sid = style_id if style_id in self.styles else self.default
        first = True
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            style = self.styles[sid]
            if first:
                out.name = style.name
                first = False
            if out.num_id is None and style.num_id is not None:
                out.num_id = style.num_id
                out.ilvl = style.ilvl
            if out.outline is None and style.outline is not None:
                out.outline = style.outline
            sid = style.based_on
        return out


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# ---------------------------------------------------------------- numbering


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    style: str | None = None
    legal: bool = False  # isLgl: every number in this level's text shown in digits


@dataclass
class _Num:
    abstract: str = ""
    overrides: dict[int, int] = field(default_factory=dict)


class _Numbering:
    """List definitions (abstractNum) and list instances (num)."""

    def __init__(self) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}


def _letters(n: int) -> str:
    # Word's letter numbering: a..z, then aa..zz, aaa.. (the letter repeated).
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, numeral in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class _Counters:
    """Word's list counters: one set per list (abstract definition), or per list
    instance when the instance overrides a start value."""

    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.counters: dict[str, list[int | None]] = {}
        self.style_levels: dict[str, tuple[str, int]] = {}
        for num_id, num in numbering.nums.items():
            for ilvl, level in numbering.abstracts.get(num.abstract, {}).items():
                if level.style:
                    self.style_levels.setdefault(level.style, (num_id, ilvl))

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool]:
        """(displayed label, is a bullet) for the next paragraph of this list level."""
        num = self.numbering.nums.get(num_id)
        if num is None:
            return "", False
        levels = self.numbering.abstracts.get(num.abstract, {})
        level = levels.get(ilvl)
        if level is None:
            return "", False
        key = f"n{num_id}" if num.overrides else f"a{num.abstract}"
        counters = self.counters.get(key)
        if counters is None:
            counters = self.counters[key] = [None] * 10
        ilvl = min(max(ilvl, 0), 9)
        current = counters[ilvl]
        if current is None:
            start = num.overrides.get(ilvl, level.start)
            counters[ilvl] = start
        else:
            counters[ilvl] = current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        if level.fmt == "bullet":
            return "", True
        text = level.text

        def sub(m: re.Match) -> str:
            lvl = int(m.group(1)) - 1
            lvl_def = levels.get(lvl, _Level())
            value = counters[lvl] if 0 <= lvl < 10 else None
            if value is None:
                value = num.overrides.get(lvl, lvl_def.start)
            return str(value) if level.legal else _format(value, lvl_def.fmt)

        return re.sub(r"%([1-9])", sub, text).strip(), False


# ------------------------------------------------------------------ document


# Subtrees whose text is not the document's current text: deletions and
# moved-away text (tracked changes are accepted), earlier formatting kept for
# revision marks, field instructions, and drawing fallbacks that repeat text.
_SKIP = {
    "delInstrText", "instrText",
    "pPrChange", "rPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
    "numberingChange", "drawing", "pict", "object",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}


class _DocumentHandler(_Handler):
    def __init__(self, styles: _Styles, counters: _Counters) -> None:
        self.styles = styles
        self.counters = counters
        self.paragraphs: list[DocxParagraph] = []
        self.in_p = 0
        self.in_ppr = False
        self.in_ppr_rpr = False
        self.in_t = False
        self.parts: list[str] = []
        self.style_id: str | None = None
        self.num_id: str | None = None
        self.ilvl: int | None = None
        self.outline: int | None = None
        self.mark_deleted = False
        self.carry: DocxParagraph | None = None  # paragraph whose mark was deleted
        self.before: list[str] = []  # the paragraph's text before tracked revisions
        self.in_del = 0  # inside deleted (or moved-from) text
        self.in_ins = 0  # inside inserted (or moved-to) text
        self.revised = False
        self.note_ids: list[tuple[str, str]] = []  # ("footnote"|"endnote", id)

    def start(self, tag: str, attrs: dict) -> bool | None:
        local = _local(tag)
        if local == "p":
            self.in_p += 1
            if self.in_p == 1:
                self.parts = []
                self.before = []
                self.revised = False
                self.note_ids = []
                self.style_id = self.num_id = None
                self.ilvl = self.outline = None
                self.mark_deleted = False
            return None
        if self.in_ppr_rpr:
            if local in ("del", "moveFrom"):
                self.mark_deleted = True
            return True
        if local in _SKIP:
            return True
        if not self.in_p:
            return None
        if local == "rPr" and not self.in_ppr:
            return True  # run formatting
        if local in ("del", "moveFrom") and not self.in_ppr:
            self.in_del += 1
            self.revised = True
            return None
        if local in ("ins", "moveTo") and not self.in_ppr:
            self.in_ins += 1
            self.revised = True
            return None
        if local in ("footnoteReference", "endnoteReference"):
            note = _val(attrs, "id")
            if note is not None:
                self.note_ids.append((local[:-9], note))
            return True
        if local == "pPr":
            self.in_ppr = True
        elif self.in_ppr:
            if local == "pStyle":
                self.style_id = _val(attrs)
            elif local == "numId":
                self.num_id = _val(attrs)
            elif local == "ilvl":
                self.ilvl = _int(_val(attrs))
            elif local == "outlineLvl":
                self.outline = _int(_val(attrs))
            elif local == "rPr":
                self.in_ppr_rpr = True
        elif local in ("t", "delText"):
            self.in_t = True
        elif local in ("tab", "ptab"):
            self._put(" ")
        elif local in ("br", "cr"):
            self._put("\n")
        elif local == "noBreakHyphen":
            self._put("-")
        return None

    def _put(self, data: str) -> None:
        """Text goes to the accepted paragraph unless deleted, and to the text
        before revisions unless inserted."""
        if not self.in_del:
            self.parts.append(data)
        if not self.in_ins:
            self.before.append(data)

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("t", "delText"):
            self.in_t = False
        elif local in ("del", "moveFrom") and self.in_del and not self.in_ppr:
            self.in_del -= 1
        elif local in ("ins", "moveTo") and self.in_ins and not self.in_ppr:
            self.in_ins -= 1
        elif local == "rPr" and self.in_ppr_rpr:
            self.in_ppr_rpr = False
        elif local == "pPr":
            self.in_ppr = False
        elif local == "p" and self.in_p:
            self.in_p -= 1
            if self.in_p == 0:
                self._paragraph()

    def text(self, data: str) -> None:
        if self.in_t:
            self._put(data)

    def _paragraph(self) -> None:
        text = "".join(self.parts)
        before = "".join(self.before) if (self.revised or self.mark_deleted) else None
        if not text.strip() and self.carry is None and not self.mark_deleted:
            return  # an empty paragraph: spacing, not text (and not a list item)
        style = self.styles.resolved(self.style_id)
        num_id = self.num_id if self.num_id is not None else style.num_id
        ilvl = self.ilvl if self.ilvl is not None else style.ilvl
        if num_id is None and self.style_id in self.counters.style_levels:
            num_id, ilvl = self.counters.style_levels[self.style_id]
        label, bullet = "", False
        if num_id and num_id != "0" and text.strip():
            label, bullet = self.counters.label(num_id, ilvl or 0)
        name = style.name.lower()
        heading = 0
        m = re.match(r"(?:heading|überschrift)\s*(\d)", name)
        outline = self.outline if self.outline is not None else style.outline
        if m:
            heading = int(m.group(1))
        elif name == "title":
            heading = 1
        elif outline is not None and 0 <= outline < 9:
            heading = outline + 1
        bullet = bullet or (name.startswith("list") and not label)
        paragraph = DocxParagraph(text, heading, bullet, label, note_ids=list(self.note_ids))
        paragraph.before = before
        if self.carry is not None:
            # The previous paragraph's mark was deleted: accepting the change
            # joins the two, keeping the first one's number and style. (A
            # paragraph deleted whole leaves nothing; this one stands alone.)
            carry = self.carry
            if carry.text.strip():
                carry.before = (carry.before if carry.before is not None else carry.text) + " " + (
                    before if before is not None else text
                )
                carry.text = carry.text + text
                carry.note_ids += paragraph.note_ids
                paragraph = carry
            else:
                paragraph.before = (carry.before or "") + " " + (before if before is not None else text)
            self.carry = None
        if self.mark_deleted:
            self.carry = paragraph
            return
        self.paragraphs.append(paragraph)

    def finish(self) -> list[DocxParagraph]:
        if self.carry is not None and self.carry.text.strip():
            self.paragraphs.append(self.carry)
            self.carry = None
        return self.paragraphs


def _main_part(reader: _Reader) -> str:
    if reader.has("word/document.xml"):
        return "word/document.xml"
    for name in reader.names:
        if re.fullmatch(r"word/document\d*\.xml", name):
            return name
    raise DocxError("This file is a zip archive but not a Word (.docx) document (no word/document.xml).")


_W = f"{{{W}}}"


def _attr(el, name: str = "val") -> str | None:
    return None if el is None else el.get(f"{_W}{name}")


def _styles_from(root, styles: _Styles) -> None:
    for el in root.iterchildren(f"{_W}style"):
        if _attr(el, "type") not in (None, "paragraph"):
            continue
        style_id = _attr(el, "styleId") or ""
        style = styles.styles.setdefault(style_id, _Style())
        if _attr(el, "default") in ("1", "true", "on"):
            styles.default = style_id
        style.name = _attr(el.find(f"{_W}name")) or ""
        style.based_on = _attr(el.find(f"{_W}basedOn"))
        ppr = el.find(f"{_W}pPr")
        if ppr is not None:
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None:
                style.num_id = _attr(numpr.find(f"{_W}numId"))
                style.ilvl = _int(_attr(numpr.find(f"{_W}ilvl")))
            style.outline = _int(_attr(ppr.find(f"{_W}outlineLvl")))


def _numbering_from(root, numbering: _Numbering) -> None:
    for el in root.iterchildren(f"{_W}abstractNum"):
        levels = numbering.abstracts.setdefault(_attr(el, "abstractNumId") or "", {})
        for lvl in el.iterchildren(f"{_W}lvl"):
            level = levels.setdefault(_int(_attr(lvl, "ilvl")) or 0, _Level())
            start = lvl.find(f"{_W}start")
            if start is not None:
                level.start = _int(_attr(start)) or 0
            level.fmt = _attr(lvl.find(f"{_W}numFmt")) or "decimal"
            level.text = _attr(lvl.find(f"{_W}lvlText")) or ""
            level.style = _attr(lvl.find(f"{_W}pStyle"))
            legal = lvl.find(f"{_W}isLgl")
            level.legal = legal is not None and _attr(legal) not in ("0", "false", "off")
    for el in root.iterchildren(f"{_W}num"):
        num = numbering.nums.setdefault(_attr(el, "numId") or "", _Num())
        num.abstract = _attr(el.find(f"{_W}abstractNumId")) or ""
        for override in el.iterchildren(f"{_W}lvlOverride"):
            value = _int(_attr(override.find(f"{_W}startOverride")))
            ilvl = _int(_attr(override, "ilvl"))
            if value is not None and ilvl is not None:
                num.overrides[ilvl] = value


def read_docx(data: bytes, limits: DocxLimits | None = None) -> list[DocxParagraph]:
    """The paragraphs of a .docx as Word displays them, with tracked changes accepted.

    Raises ``DocxError`` (a ``ValueError`` with a message for people) when the
    file is not a Word document, is damaged, or exceeds the limits."""
    reader = _Reader(data, limits or DocxLimits())
    main = _main_part(reader)
    styles = _Styles()
    if reader.has("word/styles.xml"):
        _styles_from(reader.tree("word/styles.xml"), styles)
    numbering = _Numbering()
    if reader.has("word/numbering.xml"):
        _numbering_from(reader.tree("word/numbering.xml"), numbering)
    handler = _DocumentHandler(styles, _Counters(numbering))
    reader.parse(main, handler)
    paragraphs = handler.finish()
    if any(p.note_ids for p in paragraphs):
        notes = {}
        for kind in ("footnote", "endnote"):
            if reader.has(f"word/{kind}s.xml"):
                notes.update(_notes_from(reader.tree(f"word/{kind}s.xml"), kind))
        for paragraph in paragraphs:
            paragraph.notes = [notes[key] for key in paragraph.note_ids if notes.get(key)]
    return paragraphs


def _notes_from(root, kind: str) -> dict[tuple[str, str], str]:
    """Each foot- or endnote's text (its paragraphs joined), by id; the
    separator notes Word keeps in the same part are left out."""
    out = {}
    for el in root.iterchildren(f"{_W}{kind}"):
        if _attr(el, "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = []
        for p in el.iter(f"{_W}p"):
            text = "".join(
                t.text or ""
                for t in p.iter(f"{_W}t")
                if not any(a.tag in (f"{_W}del", f"{_W}moveFrom") for a in t.iterancestors())
            )
            if text.strip():
                paragraphs.append(" ".join(text.split()))
        if paragraphs:
            out[(kind, _attr(el, "id") or "")] = " ".join(paragraphs)
    return out
