"""The command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clamour.lib.alignment import parse_text
from clamour.testing.drafts import Chunk, Draft, to_docx, to_pdf

ROOT = Path(__file__).resolve().parents[3]
ATT_PATH = Path(__file__).parent / "data" / "att-2013-final.md"
ATT = ATT_PATH.read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clamour.lib.alignment", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def new_draft_markdown() -> str:
    draft = Draft.from_document(parse_text(ATT))
    moved = draft.articles[4].chunks.pop(1)  # 5.2 becomes 26.3
    draft.articles[25].chunks.append(moved)
    draft.articles[11].chunks.pop(3)  # 12.4 removed
    draft.articles[15].chunks.append(Chunk([], "Each State Party shall consult survivors on assistance."))
    return draft.to_markdown()


def test_human_readable_output(tmp_path: Path) -> None:
    new = tmp_path / "new.md"
    new.write_text(new_draft_markdown(), encoding="utf-8")
    out = run(ATT_PATH, new)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "moved     5.2 \u2192 26.3  (1.00)" in lines
    assert "unchanged PP1 \u2192 PP1  (1.00)" in lines
    assert "removed   12.4" in lines
    assert "added     \u2192 16.4" in lines


def test_json_output_across_formats(tmp_path: Path) -> None:
    new_md = new_draft_markdown()
    old_docx = tmp_path / "old.docx"
    old_docx.write_bytes(to_docx(ATT))
    new_pdf = tmp_path / "new.pdf"
    new_pdf.write_bytes(to_pdf(new_md))
    out = run(old_docx, new_pdf, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"matches", "removed", "added"}
    assert all(set(m) == {"old", "new", "kind"} for m in data["matches"])
    assert {"old": ["5.2"], "new": ["26.3"], "kind": "moved"} in data["matches"]
    assert data["removed"] == ["12.4"] and data["added"] == ["16.4"]
    kinds = {m["kind"] for m in data["matches"]}
    assert kinds <= {"unchanged", "reworded", "moved", "split", "merged"}


def test_unreadable_input_exits_2_with_a_message(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    out = run(ATT_PATH, garbage)
    assert out.returncode == 2
    assert "cannot read NEW" in out.stderr and "Traceback" not in out.stderr
    out = run(tmp_path / "missing.md", ATT_PATH)
    assert out.returncode == 2
    assert "cannot read OLD" in out.stderr and "Traceback" not in out.stderr
    not_a_treaty = tmp_path / "notes.txt"
    not_a_treaty.write_text("Shopping list\n\neggs\n", encoding="utf-8")
    out = run(not_a_treaty, ATT_PATH, "--json")
    assert out.returncode == 2 and "No articles" in out.stderr and out.stdout == ""
