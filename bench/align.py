"""Benchmark: parse two drafts and align them, at 1x, 2x, 4x and 8x the Arms Trade Treaty.

Run with ``.venv/bin/python bench/align.py``. The bigger texts are renumbered
copies of the treaty with varied wording (10-30% of words changed per copy), so
the aligner cannot shortcut on identical paragraphs. Each new draft carries
moves, splits, merges, deletions, insertions and rewording in proportion to its
size; precision/recall against the known mapping are printed alongside.
Then the 1x pair in every input format (Word with automatic numbering and
tracked changes, a PDF with running headers and footers, HTML), each with its
own precision/recall: the parser must give the aligner the same provisions.
Last, the real pair (International Tropical Timber Agreements of 1994 and 2006,
official wording, hand-checked mapping: clamour/lib/tests/data/real/) in every
format, with the load average of the machine at the time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clamour.lib.alignment import align, parse_bytes, parse_text  # noqa: E402
from clamour.testing.drafts import make_draft, scaled_markdown, to_docx, to_pdf  # noqa: E402
from clamour.testing.formats import to_html, to_un_pdf, to_word  # noqa: E402
from clamour.testing.realpair import FORMATS as REAL_FORMATS  # noqa: E402
from clamour.testing.realpair import score as real_score  # noqa: E402

ATT = (ROOT / "clamour/lib/tests/data/att-2013-final.md").read_text(encoding="utf-8")


def main() -> None:
    header = f"{'size':>4} {'words':>7} {'provisions':>10} {'parse s':>8} {'align s':>8} {'total s':>8}"
    print(header + "  precision recall")
    for factor in (1, 2, 4, 8):
        old_md = ATT if factor == 1 else scaled_markdown(ATT, factor, seed=factor)
        base = parse_text(old_md)
        draft = make_draft(base, seed=42, intensity=float(factor))
        new_md = draft.to_markdown()
        parse_times, align_times = [], []
        for _ in range(5 if factor < 8 else 3):
            t0 = time.perf_counter()
            old, new = parse_text(old_md), parse_text(new_md)
            t1 = time.perf_counter()
            result = align(old, new)
            t2 = time.perf_counter()
            parse_times.append(t1 - t0)
            align_times.append(t2 - t1)
        truth, _, _ = draft.truth([p.id for p in old.provisions()])
        pairs = result.pairs()
        precision = len(pairs & truth) / max(1, len(pairs))
        recall = len(pairs & truth) / max(1, len(truth))
        p, a = statistics.median(parse_times), statistics.median(align_times)
        words = len(old_md.split())
        n = f"{len(old.provisions())}/{len(new.provisions())}"
        print(
            f"{factor:>3}x {words:>7} {n:>10} {p:>8.3f} {a:>8.3f} {p + a:>8.3f}"
            f"  {precision:.4f}    {recall:.4f}"
        )
    # Every format, 1x: the same pair written as negotiators' files are.
    draft = make_draft(parse_text(ATT), seed=42)
    new_md = draft.to_markdown()
    truth, _, _ = draft.truth([p.id for p in parse_text(ATT).provisions()])
    print()
    print(f"{'1x format':<26} {'parse one s':>11} {'parse both + align s':>21}  precision recall")
    formats = (
        ("markdown", lambda md: md.encode(), "md"),
        ("docx (python-docx)", to_docx, "docx"),
        ("docx numbered + tracked", lambda md: to_word(md, tracked=True), "docx"),
        ("pdf (wrapped)", to_pdf, "pdf"),
        ("pdf (UN: heads, feet)", to_un_pdf, "pdf"),
        ("html", lambda md: to_html(md).encode(), "html"),
    )
    for label, make, fmt in formats:
        old_data, new_data = make(ATT), make(new_md)
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            old = parse_bytes(old_data, fmt)
            t1 = time.perf_counter()
            result = align(old, parse_bytes(new_data, fmt))
            runs.append((t1 - t0, time.perf_counter() - t0))
        one = statistics.median(r[0] for r in runs)
        both = statistics.median(r[1] for r in runs)
        pairs = result.pairs()
        precision = len(pairs & truth) / max(1, len(pairs))
        recall = len(pairs & truth) / max(1, len(truth))
        print(f"{label:<26} {one:>11.3f} {both:>21.3f}  {precision:.4f}    {recall:.4f}")

    # The real pair: official texts of an agreement and its successor.
    print()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'real pair':<34} {'provisions':>10} {'parse both + align s':>21}  precision recall")
    for label, (make_old, make_new, fmt) in REAL_FORMATS.items():
        old_data, new_data = make_old(), make_new()
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            old, new = parse_bytes(old_data, fmt), parse_bytes(new_data, fmt)
            result = align(old, new)
            runs.append(time.perf_counter() - t0)
        precision, recall = real_score(result.pairs())
        n = f"{len(old.provisions())}/{len(new.provisions())}"
        print(f"{label:<34} {n:>10} {statistics.median(runs):>21.3f}  {precision:.4f}    {recall:.4f}")


if __name__ == "__main__":
    main()
