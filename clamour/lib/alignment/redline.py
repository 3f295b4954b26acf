"""Word-level redline of two provision texts, readable by a lawyer.

Why difflib and not diff-match-patch: difflib is in the standard library (no
extra dependency to pin and audit), and its ``SequenceMatcher`` diffs any
sequence - here *word tokens* - whereas diff-match-patch diffs characters and
needs a lines-to-chars trick to work on words. Character diffs are also the
wrong unit for treaty language: "shall" -> "should" must read as one replaced
word, not as "sh[-all-][+ould+]".

Tokens are words (hyphenated/apostrophised words stay whole) and single
punctuation marks, each carrying the whitespace before it, so that joining the
tokens gives back the text and a changed comma is shown as a changed comma.

Raw diffs of redrafted sentences alternate "deleted word / kept word / inserted
word"; like diff-match-patch's semantic cleanup, we dissolve a kept run that is
no longer than the changes on both of its sides, and then show each change as
one deleted phrase followed by one inserted phrase.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Literal

from .parse import normalise_text

__all__ = ["DiffOp", "redline", "redline_html", "render_html"]

Op = Literal["equal", "insert", "delete"]

_TOKEN = re.compile(r"\s*(?:\w+(?:[-'\u2019]\w+)*|[^\w\s])|\s+$")


@dataclass(frozen=True)
class DiffOp:
    op: Op
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _key(token: str) -> str:
    return normalise_text(token)


def _size(tokens: list[str]) -> int:
    return sum(len(t.strip()) for t in tokens)


def redline(old: str, new: str) -> list[DiffOp]:
    """Diff ``old`` into ``new``; ops are equal/delete/insert, deletes first."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    # Segments: ("equal", old_tokens, new_tokens) or ("change", deleted, inserted).
    segments: list[tuple[str, list[str], list[str]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if tag == "equal" else "change"
        if segments and segments[-1][0] == kind == "change":
            segments[-1][1].extend(a[i1:i2])
            segments[-1][2].extend(b[j1:j2])
        else:
            segments.append((kind, a[i1:i2], b[j1:j2]))
    segments = _dissolve_small_equalities(segments)
    ops: list[DiffOp] = []
    for kind, deleted, inserted in segments:
        if kind == "equal":
            for old_token, new_token in zip(deleted, inserted):
                # Equal words may differ in spacing; a space present on one side
                # only (";;" vs "; ;") is shown, so both texts can be rebuilt.
                old_ws = old_token[: len(old_token) - len(old_token.lstrip())]
                new_ws = new_token[: len(new_token) - len(new_token.lstrip())]
                if bool(old_ws) != bool(new_ws):
                    _emit(ops, "delete", old_ws)
                    _emit(ops, "insert", new_ws)
                    new_token = new_token.lstrip()
                _emit(ops, "equal", new_token)
            continue
        d, i = "".join(deleted), "".join(inserted)
        lead = re.match(r"\s*", d).group() if d and i else ""
        if lead and i.startswith(lead):  # a shared leading space is not a change
            _emit(ops, "equal", lead)
            d, i = d[len(lead):], i[len(lead):]
        _emit(ops, "delete", d)
        _emit(ops, "insert", i)
    return _deletes_first(ops)


def _deletes_first(ops: list[DiffOp]) -> list[DiffOp]:
    """Each run of changes becomes one deleted phrase then one inserted phrase."""
    out: list[DiffOp] = []
    run: list[DiffOp] = []
    for op in ops + [DiffOp("equal", "")]:
        if op.op != "equal":
            run.append(op)
            continue
        _emit(out, "delete", "".join(o.text for o in run if o.op == "delete"))
        _emit(out, "insert", "".join(o.text for o in run if o.op == "insert"))
        run = []
        _emit(out, "equal", op.text)
    return out


def _dissolve_small_equalities(
    segments: list[tuple[str, list[str], list[str]]],
) -> list[tuple[str, list[str], list[str]]]:
    changed = True
    while changed:
        changed = False
        for k in range(1, len(segments) - 1):
            kind, old_eq, new_eq = segments[k]
            before, after = segments[k - 1], segments[k + 1]
            if kind != "equal" or before[0] != "change" or after[0] != "change":
                continue
            size = _size(new_eq)
            if size <= max(_size(before[1]), _size(before[2])) and size <= max(
                _size(after[1]), _size(after[2])
            ):
                merged = ("change", before[1] + old_eq + after[1], before[2] + new_eq + after[2])
                segments[k - 1 : k + 2] = [merged]
                changed = True
                break
    return segments


def _emit(ops: list[DiffOp], op: Op, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == op:
        ops[-1] = DiffOp(op, ops[-1].text + text)
    else:
        ops.append(DiffOp(op, text))


def render_html(ops: list[DiffOp]) -> str:
    """Safe HTML: every text is escaped; changes are wrapped in <del>/<ins>."""
    out = []
    for op in ops:
        text = html.escape(op.text, quote=True)
        if op.op == "delete":
            out.append(f"<del>{text}</del>")
        elif op.op == "insert":
            out.append(f"<ins>{text}</ins>")
        else:
            out.append(text)
    return "".join(out)


def redline_html(old: str, new: str) -> str:
    return render_html(redline(old, new))
