"""Redline tests: readable phrase-level changes, exact reconstruction, safe HTML."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clamour.lib.alignment.redline import DiffOp, redline, redline_html, render_html

P52 = (
    "Each State Party shall establish and maintain a national control system, including a "
    "national control list, in order to implement the provisions of this Treaty."
)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_identical_texts_are_one_equal_op() -> None:
    assert redline(P52, P52) == [DiffOp("equal", P52)]


def test_changes_read_as_deleted_then_inserted_phrases() -> None:
    new = P52.replace("establish and maintain a", "set up and keep an effective").replace(
        " in order to", " to"
    )
    ops = redline(P52, new)
    assert DiffOp("delete", "establish and maintain a") in ops
    assert DiffOp("insert", "set up and keep an effective") in ops
    assert DiffOp("delete", " in order") in ops
    assert ops[0] == DiffOp("equal", "Each State Party shall ")


def test_alternating_single_words_are_merged_into_one_change() -> None:
    assert redline("shall promptly notify the Secretariat", "may quickly inform the Secretariat") == [
        DiffOp("delete", "shall promptly notify"),
        DiffOp("insert", "may quickly inform"),
        DiffOp("equal", " the Secretariat"),
    ]
    assert [op.op for op in redline("A B C D E", "X B Y D Z")] == ["delete", "insert"]


def test_a_long_unchanged_run_between_changes_is_kept() -> None:
    ops = redline("one kept phrase that is long enough here two", "uno kept phrase that is long enough here dos")
    assert DiffOp("equal", " kept phrase that is long enough here ") in ops


def test_punctuation_changes_stay_small() -> None:
    ops = redline("conventional arms, and", "conventional arms; and")
    assert ops == [
        DiffOp("equal", "conventional arms"),
        DiffOp("delete", ","),
        DiffOp("insert", ";"),
        DiffOp("equal", " and"),
    ]


def test_html_is_escaped() -> None:
    out = redline_html('<script>alert("x")</script> & co', "<b>bold</b> & co")
    assert "<script" not in out and "<b>" not in out and "</b>" not in out
    assert re.sub(r"</?(?:del|ins)>", "", out).count("<") == 0
    assert "&lt;" in out and "&amp;" in out and "&quot;" in out
    assert render_html([DiffOp("insert", "a<b")]) == "<ins>a&lt;b</ins>"


WORDS = st.sampled_from(
    ["State", "Party", "shall", "may", "arms", "the", "of", ",", ";", ".", "(a)", "non-discriminatory", "<b>", "&"]
)
TEXTS = st.lists(WORDS, max_size=30).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(old=TEXTS, new=TEXTS)
def test_ops_rebuild_both_texts(old: str, new: str) -> None:
    ops = redline(old, new)
    assert squash("".join(op.text for op in ops if op.op != "insert")) == squash(old)
    assert squash("".join(op.text for op in ops if op.op != "delete")) == squash(new)
    assert all(op.text for op in ops)
    assert all(a.op != b.op for a, b in zip(ops, ops[1:]))  # adjacent ops are merged
    assert all(not (a.op == "insert" and b.op == "delete") for a, b in zip(ops, ops[1:]))


@settings(max_examples=300, deadline=None)
@given(old=st.text(alphabet="ab ,.;(x)-\n", max_size=25), new=st.text(alphabet="ab ,.;(x)-\n", max_size=25))
def test_ops_rebuild_texts_with_odd_spacing(old: str, new: str) -> None:
    ops = redline(old, new)
    assert squash("".join(op.text for op in ops if op.op != "insert")) == squash(old)
    assert squash("".join(op.text for op in ops if op.op != "delete")) == squash(new)
