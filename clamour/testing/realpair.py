"""The real successive pair (International Tropical Timber Agreement, 1994 and 2006,
Preamble and Articles 1 to 17; sources in ``clamour/lib/tests/data/real/README.md``) in every input
format, scored against its hand-checked mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .formats import to_html, to_un_pdf, to_word

REAL = Path(__file__).resolve().parents[1] / "lib" / "tests" / "data" / "real"
OLD_MD = (REAL / "itta-1994.md").read_text(encoding="utf-8")
NEW_MD = (REAL / "itta-2006.md").read_text(encoding="utf-8")
EXPECTED = json.loads((REAL / "itta-1994-2006.expected.json").read_text(encoding="utf-8"))
TRUTH = {tuple(pair) for pair in EXPECTED["pairs"]}


def _pdf(symbol: str, date: str) -> Callable[[str], bytes]:
    return lambda md: to_un_pdf(md, symbol=symbol, date=date, foot_heading="Article 5")


# label -> (old file bytes, new file bytes, format)
FORMATS: dict[str, tuple[Callable[[], bytes], Callable[[], bytes], str]] = {
    "markdown": (lambda: OLD_MD.encode(), lambda: NEW_MD.encode(), "md"),
    "docx, automatic numbering": (lambda: to_word(OLD_MD), lambda: to_word(NEW_MD), "docx"),
    "docx, numbering + tracked changes": (
        lambda: to_word(OLD_MD, tracked=True),
        lambda: to_word(NEW_MD, tracked=True),
        "docx",
    ),
    "pdf, UN layout (heads, feet)": (
        lambda: _pdf("TD/TIMBER.2/16", "26 January 1994")(OLD_MD),
        lambda: _pdf("TD/TIMBER.3/12", "27 January 2006")(NEW_MD),
        "pdf",
    ),
    "html": (lambda: to_html(OLD_MD).encode(), lambda: to_html(NEW_MD).encode(), "html"),
}


def score(pairs: set[tuple[str, str]]) -> tuple[float, float]:
    """Precision and recall of the aligner's links against the expected mapping."""
    hits = len(pairs & TRUTH)
    return hits / max(1, len(pairs)), hits / max(1, len(TRUTH))
