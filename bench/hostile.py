"""Benchmark: hostile drafts are refused fast and in little memory; parsing is linear.

Run with ``.venv/bin/python bench/hostile.py``. Each Word bomb is built, written to
a file and parsed in a fresh child process, which reports the time to refusal
and how much its peak resident memory grew while parsing (beyond reading the
file itself). Then plain-text drafts of growing
size (one article whose paragraphs repeat the same numbers, the worst case for
making ids unique) show parse time growing linearly with provision count.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clamour.lib.alignment import ParseError, parse_text  # noqa: E402

CHILD = r"""
import json, resource, sys, time, zipfile, io
sys.path.insert(0, sys.argv[1])
from clamour.lib.alignment import ParseError, parse_bytes
with open(sys.argv[2], "rb") as f:
    data = f.read()
inflated = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    parse_bytes(data, "bomb.docx")
    outcome = "ACCEPTED"
except ParseError as exc:
    outcome = str(exc)
elapsed = time.perf_counter() - t0
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"size": len(data), "inflated": inflated, "s": elapsed, "kb": grown, "outcome": outcome}))
"""

BOMBS = [
    ("100 MB of <w:p/>", "hostile.empty_paragraphs(100)"),
    ("1 GiB of spaces", "hostile.spaces(1024)"),
    ("100 MB, headers say 1 KB", "hostile.forged_size(100)"),
    ("1.2 million <w:p/> (7 MB)", "hostile.many_elements(1_200_000)"),
    ("billion laughs", "hostile.entity_expansion()"),
    ("2,100 zip members", "hostile.many_members(2100)"),
]


def bombs() -> None:
    print(f"{'Word bomb':<28} {'file':>9} {'declared':>10} {'refused in':>10} {'peak +MB':>9}  message")
    from clamour.testing import hostile

    for label, expr in BOMBS:
        with tempfile.NamedTemporaryFile(suffix=".docx") as f:
            f.write(eval(expr, {"hostile": hostile}))
            f.flush()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), f.name], capture_output=True, text=True, check=True
            )
        r = json.loads(out.stdout)
        print(
            f"{label:<28} {r['size'] / 1024:>7.0f}KB {r['inflated'] / 1048576:>8.0f}MB "
            f"{r['s']:>9.3f}s {r['kb'] / 1024:>9.1f}  {r['outcome'][:90]}"
        )


def linear() -> None:
    print()
    print(f"{'provisions':>10} {'lines':>7} {'parse s':>8} {'s per 1000':>10}")
    for n in (2500, 5000, 10000, 20000):
        text = "Article 1\n\n" + "".join(f"{i % 3 + 1}. Paragraph {i} of the same article.\n\n" for i in range(n))
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            doc = parse_text(text)
            runs.append(time.perf_counter() - t0)
        assert len(doc.provisions()) == n
        best = min(runs)
        print(f"{n:>10} {len(text.splitlines()):>7} {best:>8.3f} {1000 * best / n:>10.4f}")
    text = "Article 1\n\n" + "".join(f"1. Paragraph {i}.\n\n" for i in range(30_000))
    t0 = time.perf_counter()
    try:
        parse_text(text)
        outcome = "accepted"
    except ParseError as exc:
        outcome = str(exc)
    print(f"30,000 provisions: {time.perf_counter() - t0:.3f} s -> {outcome}")


def pages() -> None:
    from fpdf import FPDF

    from clamour.lib.alignment import parse_bytes
    from clamour.lib.alignment.parse import MAX_PDF_PAGES

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for i in range(MAX_PDF_PAGES + 1):
        pdf.add_page()
        pdf.cell(0, 10, f"Article {i + 1}")
    data = bytes(pdf.output())
    t0 = time.perf_counter()
    try:
        parse_bytes(data, "long.pdf")
        outcome = "accepted"
    except ParseError as exc:
        outcome = str(exc)
    print(f"\nPDF of {MAX_PDF_PAGES + 1:,} pages ({len(data) / 1024:.0f} KB): {time.perf_counter() - t0:.3f} s -> {outcome}")


if __name__ == "__main__":
    bombs()
    linear()
    pages()
