"""Command line: ``python -m clamour.lib.alignment OLD NEW [--json]``.

Prints how the provisions of draft OLD map onto draft NEW. OLD and NEW may be
.md, .txt, .docx or .pdf files. Exit status 2 means an input could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from .align import Alignment, align
from .parse import DEFAULT_MAX_BYTES, Document, ParseError, parse_file


def _arrow() -> str:
    try:
        "\u2192".encode(sys.stdout.encoding or "ascii")
        return "\u2192"
    except (UnicodeEncodeError, LookupError):
        return "->"


def format_alignment(result: Alignment, old: Document, new: Document, arrow: str = "\u2192") -> str:
    """Readable lines such as ``moved     5.2 → 26.2  (0.97)``."""
    lines = []
    for m in result.matches:
        pin = "  [pinned]" if m.pinned else ""
        lines.append(f"{m.kind:<10}{' + '.join(m.old)} {arrow} {' + '.join(m.new)}  ({m.score:.2f}){pin}")
    lines += [f"{'removed':<10}{pid}" for pid in result.removed]
    lines += [f"{'added':<10}{arrow} {pid}" for pid in result.added]
    counts: dict[str, int] = {}
    for m in result.matches:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    lines.append(
        f"-- {len(old.provisions())} old / {len(new.provisions())} new provisions: "
        f"{summary}; {len(result.removed)} removed, {len(result.added)} added"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m clamour.lib.alignment",
        description="Align the provisions of two treaty drafts (.md, .txt, .docx, .pdf).",
    )
    parser.add_argument("old", help="earlier draft")
    parser.add_argument("new", help="later draft")
    parser.add_argument("--json", action="store_true", help="print the alignment as JSON")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files")
    args = parser.parse_args(argv)
    docs = []
    for label, path in (("OLD", args.old), ("NEW", args.new)):
        try:
            docs.append(parse_file(path, max_bytes=args.max_bytes))
        except ParseError as exc:
            print(f"error: cannot read {label} ({path}): {exc}", file=sys.stderr)
            return 2
    old, new = docs
    result = align(old, new)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print(format_alignment(result, old, new, _arrow()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
