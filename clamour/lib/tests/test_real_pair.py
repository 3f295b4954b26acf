"""A real successive pair of official texts, read from every input format and
aligned against the hand-checked mapping (data/real/README.md)."""

from __future__ import annotations

import pytest

from clamour.lib.alignment import align, parse_bytes, parse_text
from clamour.testing.realpair import EXPECTED, FORMATS, NEW_MD, OLD_MD, score


@pytest.mark.parametrize("label", list(FORMATS))
def test_the_real_pair_aligns_as_read_by_hand_in_every_format(label: str) -> None:
    make_old, make_new, fmt = FORMATS[label]
    old, new = parse_bytes(make_old(), fmt), parse_bytes(make_new(), fmt)
    # Every format gives the aligner the provisions the Markdown gives.
    assert [p.id for p in old.provisions()] == [p.id for p in parse_text(OLD_MD).provisions()]
    assert [p.id for p in new.provisions()] == [p.id for p in parse_text(NEW_MD).provisions()]
    result = align(old, new)
    precision, recall = score(result.pairs())
    assert (precision, recall) == (1.0, 1.0), (label, precision, recall)
    assert sorted(result.removed) == sorted(EXPECTED["removed"])
    assert sorted(result.added) == sorted(EXPECTED["added"])


def test_a_rewritten_preamble_keeps_its_surviving_paragraphs() -> None:
    """The 2006 preamble rewrites and more than doubles the 1994 one: after the
    last paragraph matched on its words, the Bali commitment and the consumer
    members' 1994 commitment survive, reworded, among twelve new paragraphs."""
    result = align(parse_text(OLD_MD), parse_text(NEW_MD))
    pairs = result.pairs()
    assert ("PP7", "PP9") in pairs
    assert ("PP8", "PP10") in pairs
    assert "PP9" in result.removed  # "Desiring to strengthen ..." has no successor
    assert {"PP11", "PP19", "PP20"} <= set(result.added)
