"""Hostile documents: small files that would take huge memory or time are refused
with a message a person understands, in the library and on the command line."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from clamour.lib.alignment import ParseError, parse_bytes, parse_text
from clamour.lib.alignment.parse import MAX_PDF_PAGES, MAX_PROVISIONS, _Builder
from clamour.testing import hostile

ROOT = Path(__file__).resolve().parents[3]


def test_a_minimal_word_file_is_read() -> None:
    doc = parse_bytes(hostile.small_valid(), "ok.docx")
    assert [p.id for p in doc.provisions()] == ["1"]


@pytest.mark.parametrize(
    "make, message",
    [
        # 100 MB of <w:p/> in a 150 KB file: refused on the declared size.
        (lambda: hostile.empty_paragraphs(100), "would expand to 100 MB (limit 32 MB)"),
        (lambda: hostile.spaces(64), "would expand to 64 MB (limit 32 MB)"),
        # The same with the zip headers claiming 1 KB: the stream stops there.
        (lambda: hostile.forged_size(100), "damaged"),
        # Under the size limit but a flood of elements (1.2 million <w:p/>).
        (lambda: hostile.many_elements(1_200_000), "more than 800,000 XML tags"),
        (hostile.entity_expansion, "declares a document type"),
        (lambda: hostile.many_members(2100), "holds 2,102 parts (limit 2,000)"),
    ],
    ids=["paragraph-bomb", "space-bomb", "forged-size", "element-flood", "billion-laughs", "members"],
)
def test_word_bombs_are_refused_with_a_clear_message(make, message: str) -> None:
    data = make()
    assert len(data) < 10 * 1024 * 1024  # all pass the upload's byte limit
    if "tags" in message:  # tracing every allocation would make the flood slow
        with pytest.raises(ParseError, match=re.escape(message)):
            parse_bytes(data, "draft.docx")
        return
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match=re.escape(message)):
            parse_bytes(data, "draft.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Streaming: nothing near the inflated size is ever held.
    assert peak < 20 * 1024 * 1024, peak


def test_the_command_line_refuses_a_word_bomb_the_same_way(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(hostile.empty_paragraphs(100))
    good = tmp_path / "good.md"
    good.write_text("# Article 1\n\nText.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "clamour.lib.alignment", str(good), str(bomb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot read NEW" in result.stderr and "would expand to 100 MB" in result.stderr
    assert result.stdout == ""


def test_repeated_numbers_get_unique_ids_in_linear_time() -> None:
    builder = _Builder()
    n = 20_000
    started = time.perf_counter()
    ids = [builder.unique("5.1") for _ in range(n)]
    elapsed = time.perf_counter() - started
    assert ids[:3] == ["5.1", "5.1~2", "5.1~3"] and ids[-1] == f"5.1~{n}"
    assert len(set(ids)) == n
    # Quadratic probing needs n²/2 = 200 million set lookups here (tens of
    # seconds); linear needs 20,000.
    assert elapsed < 5, elapsed
    # A suffix the document itself used is skipped, not reused.
    builder = _Builder()
    assert [builder.unique(x) for x in ("2", "2~2", "2", "2")] == ["2", "2~2", "2~3", "2~4"]


def test_a_text_with_too_many_provisions_is_refused() -> None:
    text = "Article 1\n\n" + "".join(f"{i % 999 + 1}. Provision {i}.\n\n" for i in range(MAX_PROVISIONS + 1))
    with pytest.raises(ParseError, match=f"more than {MAX_PROVISIONS:,} provisions"):
        parse_text(text)
    ok = parse_text("Article 1\n\n" + "".join(f"1. Same number {i}.\n\n" for i in range(5000)))
    assert len(ok.provisions()) == 5000 and ok.provisions()[-1].id == "1.1~5000"


def test_a_pdf_with_too_many_pages_is_refused() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for i in range(MAX_PDF_PAGES + 1):
        pdf.add_page()
        if i == 0:
            pdf.cell(0, 10, "Article 1")
    with pytest.raises(ParseError, match=f"has {MAX_PDF_PAGES + 1:,} pages \\(limit {MAX_PDF_PAGES:,}\\)"):
        parse_bytes(bytes(pdf.output()), "long.pdf")
