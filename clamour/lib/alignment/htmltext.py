"""Read an HTML draft (as official sites publish treaty texts) as paragraphs.

Block elements (``p``, ``div``, ``li``, ``h1``-``h6``, table cells, ``br``)
end a paragraph; headings keep their level; ordered lists get the numbers a
browser shows (``type="a"``, ``type="i"``, ``start``), written as "1." / "(a)" /
"(i)" so the same structure rules apply as for typed numbers. Scripts, styles,
navigation, page headers and footers are not treaty text and are skipped.
Footnotes are kept out of the text and given to the paragraph that refers to
them: a reference is a number in ``<sup>`` (or a link to a note such as
``<a href="#fn1">[1]</a>``), a note is what such a link points to, an item of a
footnotes block (``<div class="footnotes">``, ``<section class="footnotes">``,
``role="doc-endnotes"``), or an item of a list that follows ``<hr>`` at the end
of the text.
The standard library's parser is used: it expands no entities beyond HTML's
named ones and fetches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["HtmlParagraph", "read_html"]

_BLOCK = {
    "p", "div", "li", "dd", "dt", "blockquote", "section", "article", "main", "body",
    "table", "tr", "td", "th", "ul", "ol", "dl", "pre", "center", "address", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "caption",
}
_SKIP = {"script", "style", "nav", "header", "footer", "head", "noscript", "template", "svg", "button", "form"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


# Elements whose nesting matters for footnotes (which note block or list item
# a paragraph sits in); inline elements never hold a note.
_NESTED = {
    "div", "section", "aside", "article", "main", "ol", "ul", "li", "p", "blockquote",
    "dl", "dd", "dt", "table", "tr", "td", "th", "figure",
}
_NOTES_BLOCK = re.compile(r"foot-?notes?|end-?notes?|\bnotes\b|\bfn-?list\b", re.I)
_NOTE_MARK = re.compile(r"^(?:[\[(]?(\d{1,3})[\])]?|[*\u2020\u2021]|[a-z])$")
_NOTE_TARGET = re.compile(r"fn|ftn|edn|note", re.I)
_NOTE_NUMBER = re.compile(r"^[\[(]?(\d{1,3})(?:[\].)]\s*|\s+)")
_ANCHORS = 8  # the nearest anchors a paragraph keeps
_SCAN = 64  # how far up the open elements an end tag looks for its start
_NOTES_HEADING = re.compile(r"^(?:foot|end)?notes?:?$", re.I)
_BACKLINK = str.maketrans(dict.fromkeys("\u21a9\ufe0e\ufe0f\u2191", ""))


@dataclass
class HtmlParagraph:
    text: str
    heading: int = 0
    label: str = ""
    bullet: bool = False
    notes: list[str] = field(default_factory=list)  # footnotes it refers to


@dataclass
class _Read:
    """A paragraph as read, with what sorting out footnotes needs."""

    paragraph: HtmlParagraph
    anchors: tuple[str, ...]  # ids and names of the elements it sits in (and inside it)
    block: int  # the footnotes block it sits in (0: none)
    item: int  # the list item it sits in (0: none)
    refs: list[tuple[str, str]]  # (target id or "", mark) of the references in it


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _list_label(kind: str, n: int) -> str:
    if kind == "a":
        return f"({chr(96 + n) if n <= 26 else str(n)})"
    if kind == "A":
        return f"({chr(64 + n) if n <= 26 else str(n)})"
    if kind == "i":
        return f"({_roman(n)})"
    if kind == "I":
        return f"{_roman(n).upper()}."
    return f"{n}."


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.read: list[_Read] = []
        self.parts: list[str] = []
        self.heading = 0
        self.label = ""
        self.bullet = False
        self.skip = 0
        self.lists: list[list] = []  # [kind, next number] per open list; kind "" = bullets
        # Open block elements: (tag, nearest anchors, footnotes block, list item).
        self.stack: list[list] = []
        self.frames: list[list] = []  # open <sup> / in-page links: [tag, target, parts, used]
        self.refs: list[tuple[str, str]] = []
        self.inline_anchors: list[str] = []
        self.count = 0  # numbers blocks and list items
        self.hr_blocks: set[int] = set()  # lists that follow <hr>
        self.after_hr = False

    def _flush(self) -> None:
        for frame in self.frames:  # unclosed <sup> or link: its text is text
            self.parts.extend(frame[2])
        self.frames = []
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip()
        if text or self.refs:
            _, anchors, block, item = self.stack[-1] if self.stack else ("", (), 0, 0)
            anchors += tuple(self.inline_anchors[:_ANCHORS])
            paragraph = HtmlParagraph(text, self.heading, self.label, self.bullet)
            self.read.append(_Read(paragraph, anchors, block, item, self.refs))
            if text:
                self.after_hr = False
                # An item's number goes to its first paragraph, even inside
                # <li><p>...</p></li>.
                self.label = ""
                self.bullet = False
        self.parts = []
        self.refs = []
        self.inline_anchors = []

    def _push(self, tag: str, values: dict) -> None:
        """Open a block element. Each entry carries what a paragraph inside it
        needs (the nearest anchors, footnotes block and list item), so reading
        it costs the same however deep the nesting."""
        top = self.stack[-1][0] if self.stack else ""
        if top == "p":
            self.stack.pop()  # a block closes an open paragraph
        if tag == "li":
            for depth in range(len(self.stack) - 1, max(-1, len(self.stack) - _SCAN), -1):
                if self.stack[depth][0] in ("ol", "ul"):
                    break
                if self.stack[depth][0] == "li":
                    del self.stack[depth:]  # the previous item, left open
                    break
        _, anchors, block, item = self.stack[-1] if self.stack else ("", (), 0, 0)
        anchor = values.get("id") or values.get("name")
        if anchor:
            anchors = anchors[1 - _ANCHORS:] + (anchor,)
        marks = " ".join(values.get(k) or "" for k in ("class", "id", "role", "epub:type"))
        if tag in ("div", "section", "aside", "ol", "ul") and _NOTES_BLOCK.search(marks):
            self.count += 1
            block = self.count
        elif tag == "ol" and self.after_hr and not block:
            self.count += 1
            block = self.count
            self.hr_blocks.add(block)
        if tag == "li":
            self.count += 1
            item = self.count
        self.stack.append((tag, anchors, block, item))

    def _pop(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, max(-1, len(self.stack) - _SCAN), -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def _close_frame(self) -> None:
        tag, target, parts, used = self.frames.pop()
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        outer = self.frames[-1][2] if self.frames else self.parts
        m = _NOTE_MARK.match(text)
        target = target or next((f[1] for f in reversed(self.frames) if f[1]), "")
        if used and not text:
            if self.frames:
                self.frames[-1][3] = True
            return
        is_ref = bool(m) and (
            tag == "sup"
            or any(f[0] == "sup" for f in self.frames)
            or text.startswith("[")
            or bool(_NOTE_TARGET.search(target))
        )
        if is_ref:
            self.refs.append((target, text))
            if self.frames:
                self.frames[-1][3] = True
        else:
            outer.extend(parts)

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skip:
            if tag in _SKIP:
                self.skip += 1
            return
        if tag in _SKIP:
            self._flush()
            self.skip = 1
            return
        values = dict(attrs)
        href = values.get("href") or ""
        if tag == "sup" or (tag == "a" and href.startswith("#") and len(href) > 1):
            self.frames.append([tag, href[1:] if tag == "a" else "", [], False])
            if tag == "a" and (values.get("name") or values.get("id")):
                self.inline_anchors.append(values.get("name") or values.get("id"))
            return
        if tag == "a" and (values.get("name") or values.get("id")):
            self.inline_anchors.append(values.get("name") or values.get("id"))
            return
        if tag == "hr":
            self._flush()
            self.after_hr = True
            return
        if tag == "br":
            self.parts.append("\n")
            self._flush()
            return
        if tag in _BLOCK:
            self._flush()
        if tag in _NESTED:
            self._push(tag, values)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = int(tag[1])
            self.after_hr = False
        elif tag == "ol":
            start = values.get("start") or "1"
            self.lists.append([values.get("type") or "1", int(start) if start.isdigit() else 1])
        elif tag == "ul":
            self.lists.append(["", 0])
        elif tag == "li" and self.lists:
            kind, n = self.lists[-1]
            value = values.get("value")
            if value and value.isdigit():
                n = int(value)
            if kind:
                self.label = _list_label(kind, n)
                self.lists[-1][1] = n + 1
            else:
                self.bullet = True

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in _SKIP:
                self.skip -= 1
            return
        if tag in ("sup", "a"):
            if self.frames and self.frames[-1][0] == tag:
                self._close_frame()
            return
        if tag in _BLOCK:
            self._flush()
        if tag in _NESTED:
            self._pop(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = 0
        elif tag == "li":
            self.label = ""
            self.bullet = False
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            (self.frames[-1][2] if self.frames else self.parts).append(data)


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


def read_html(text: str) -> list[HtmlParagraph]:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader._flush()
    return _sort_out_notes(reader.read, reader.hr_blocks)


def _sort_out_notes(read: list[_Read], hr_blocks: set[int]) -> list[HtmlParagraph]:
    """Take the footnotes out of the text and give each to the paragraphs
    that refer to it."""
    # A link back to an anchor met earlier (a note's link to its reference)
    # is not a reference.
    seen: dict[str, int] = {}
    for index, r in enumerate(read):
        for a in r.anchors:
            seen.setdefault(a, index)
    forward = [
        [(target, mark) for target, mark in r.refs if not (target and seen.get(target, index + 1) <= index)]
        for index, r in enumerate(read)
    ]
    targets = {target for refs in forward for target, _ in refs if target}
    numbers = {mark.strip("[]()") for refs in forward for _, mark in refs}
    first_ref = next((i for i, refs in enumerate(forward) if refs), len(read))

    def referred(r: _Read) -> bool:
        m = _NOTE_NUMBER.match(r.paragraph.text)
        return bool(
            targets.intersection(r.anchors)
            or re.sub(r"\D", "", r.paragraph.label) in numbers
            or (m and m.group(1) in numbers)
            or (r.refs and r.refs[0][1].strip("[]()") in numbers)
        )

    # A footnotes block counts when a note in it is referred to; a list after
    # <hr> only when, besides, it ends the text.
    blocks = {r.block for r in read if r.block and r.block not in hr_blocks and referred(r)}
    for block in hr_blocks:
        start = next((i for i, r in enumerate(read) if r.block == block), len(read))
        tail = read[start:]
        if tail and all(r.block == block for r in tail) and any(referred(r) for r in tail):
            blocks.add(block)

    def anchor(r: _Read) -> str:
        return next((a for a in reversed(r.anchors) if a in targets), "")

    # Anchors around the text itself (a page's <main id=...>) hold no note.
    early = {a for r in read[: first_ref + 1] for a in r.anchors}
    notes: list[dict] = []
    kept: list[tuple[_Read, list]] = []
    last_note = -2
    for index, r in enumerate(read):
        key = anchor(r) if index > first_ref and not r.paragraph.heading else ""
        if (
            not key
            and last_note == index - 1
            and not r.paragraph.heading
            and (set(r.anchors) & notes[-1]["anchors"]) - early
        ):
            key = notes[-1]["key"]  # a note's next paragraph, in the note's element
        if not key and r.block in blocks:
            key = f"item {r.item}" if r.item else f"paragraph {index}"
        if not key:
            kept.append((r, forward[index]))
            continue
        if r.block in blocks and r.paragraph.heading and _NOTES_HEADING.match(r.paragraph.text):
            continue
        last_note = index
        text = r.paragraph.text.translate(_BACKLINK).strip()
        if notes and notes[-1]["key"] == key:
            notes[-1]["texts"].append(text)
            notes[-1]["anchors"].update(r.anchors)
            continue
        number = re.sub(r"\D", "", r.paragraph.label)
        m = _NOTE_NUMBER.match(text)
        if not number and m:
            number, text = m.group(1), text[m.end():]
        if not number and r.refs:
            number = r.refs[0][1].strip("[]()")
        notes.append({"key": key, "texts": [text], "anchors": set(r.anchors), "number": number})
    if kept and notes and _NOTES_HEADING.match(kept[-1][0].paragraph.text):
        kept.pop()  # "Notes" above the footnotes
    by_anchor: dict[str, dict] = {}
    by_number: dict[str, dict] = {}
    for note in notes:
        for a in note["anchors"]:
            by_anchor.setdefault(a, note)
        by_number.setdefault(note["number"], note)
    out = []
    for r, refs in kept:
        for target, mark in refs:
            note = (by_anchor.get(target) if target else None) or by_number.get(mark.strip("[]()"))
            if note is not None:
                r.paragraph.notes.append(" ".join(t for t in note["texts"] if t))
        if r.paragraph.text:
            out.append(r.paragraph)
    return out
