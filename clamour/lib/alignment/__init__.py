"""Treaty text engine: parse drafts, align provisions between drafts, redline them.

Pure Python (no Django). The Django layer should only need::

    from clamour.lib.alignment import parse_bytes, parse_text, ParseError, align, redline
"""

from .align import Alignment, Match, align
from .parse import (
    Article,
    Document,
    ParseError,
    Provision,
    normalise_text,
    parse_bytes,
    parse_file,
    parse_text,
)
from .redline import DiffOp, redline, redline_html, render_html

__all__ = [
    "Alignment",
    "Match",
    "align",
    "DiffOp",
    "redline",
    "redline_html",
    "render_html",
    "Article",
    "Document",
    "ParseError",
    "Provision",
    "normalise_text",
    "parse_bytes",
    "parse_file",
    "parse_text",
]
