"""Read an HTML draft (as official sites publish treaty texts) as paragraphs.

Block elements (``p``, ``div``, ``li``, ``h1``-``h6``, table cells, ``br``)
end a paragraph; headings keep their level; ordered lists get the numbers a
browser shows (``type="a"``, ``type="i"``, ``start``), written as "1." / "(a)" /
"(i)" so the same structure rules apply as for typed numbers. Scripts, styles,
navigation, page headers and footers are not treaty text and are skipped.
The standard library's parser is used: it expands no entities beyond HTML's
named ones and fetches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["HtmlParagraph", "read_html"]

_BLOCK = {
    "p", "div", "li", "dd", "dt", "blockquote", "section", "article", "main", "body",
    "table", "tr", "td", "th", "ul", "ol", "dl", "pre", "center", "address", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "caption",
}
_SKIP = {"script", "style", "nav", "header", "footer", "head", "noscript", "template", "svg", "button", "form", "sup"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


@dataclass
class HtmlParagraph:
    text: str
    heading: int = 0
    label: str = ""
    bullet: bool = False


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
        self.paragraphs: list[HtmlParagraph] = []
        self.parts: list[str] = []
        self.heading = 0
        self.label = ""
        self.bullet = False
        self.skip = 0
        self.lists: list[list] = []  # [kind, next number] per open list; kind "" = bullets

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip()
        if text:
            self.paragraphs.append(HtmlParagraph(text, self.heading, self.label, self.bullet))
        self.parts = []
        self.label = ""
        self.bullet = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skip:
            if tag in _SKIP:
                self.skip += 1
            return
        if tag in _SKIP:
            self._flush()
            self.skip = 1
            return
        if tag == "br":
            self.parts.append("\n")
            self._flush()
            return
        if tag in _BLOCK:
            self._flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = int(tag[1])
        elif tag == "ol":
            values = dict(attrs)
            start = values.get("start") or "1"
            self.lists.append([values.get("type") or "1", int(start) if start.isdigit() else 1])
        elif tag == "ul":
            self.lists.append(["", 0])
        elif tag == "li" and self.lists:
            kind, n = self.lists[-1]
            value = dict(attrs).get("value")
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
        if tag in _BLOCK:
            self._flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = 0
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


def read_html(text: str) -> list[HtmlParagraph]:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader._flush()
    return reader.paragraphs
