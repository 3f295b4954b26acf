"""Aligner tests: hand-made edits, generated drafts with a known mapping, properties."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clamour.lib.alignment import align, parse_text
from clamour.lib.alignment.align import Alignment
from clamour.lib.alignment.parse import Document
from clamour.testing.drafts import Chunk, Draft, DraftArticle, make_draft

ATT = (Path(__file__).parent / "data" / "att-2013-final.md").read_text(encoding="utf-8")
BASE = parse_text(ATT)
SEEDS = range(40)


def edited(edit) -> Document:
    draft = Draft.from_document(BASE)
    edit(draft)
    return parse_text(draft.to_markdown())


def article(draft: Draft, number: int) -> DraftArticle:
    return draft.articles[number - 1]


def by_old(result: Alignment) -> dict[str, tuple[str, list[str]]]:
    return {o: (m.kind, m.new) for m in result.matches for o in m.old}


def assert_accounts_for_everything(result: Alignment, old: Document, new: Document) -> None:
    olds = [o for m in result.matches for o in m.old] + result.removed
    news = [n for m in result.matches for n in m.new] + result.added
    assert sorted(olds) == sorted(p.id for p in old.provisions())
    assert sorted(news) == sorted(p.id for p in new.provisions())


# ------------------------------------------------------------- hand-made edits


def test_identical_drafts_are_unchanged() -> None:
    result = align(BASE, parse_text(ATT))
    assert {m.kind for m in result.matches} == {"unchanged"}
    assert len(result.matches) == 107 and not result.removed and not result.added
    assert all(m.score == 1.0 for m in result.matches)


def test_inserting_an_article_renumbers_everything_after_it_as_moved() -> None:
    definition = "For the purposes of this Treaty, a broker is any person who arranges a transfer."
    new = edited(lambda d: d.articles.insert(0, DraftArticle("Definitions", [Chunk([], definition)])))
    result = align(BASE, new)
    old_to = by_old(result)
    assert old_to["PP5"] == ("unchanged", ["PP5"])
    assert old_to["5.2"] == ("moved", ["6.2"])
    assert old_to["28"] == ("moved", ["29"])
    assert result.added == ["1"] and result.removed == []


def test_paragraph_moved_between_articles_and_reworded() -> None:
    def edit(d: Draft) -> None:
        chunk = article(d, 5).chunks.pop(1)  # 5.2
        chunk.text = chunk.text.replace("establish and maintain", "set up and keep")
        article(d, 26).chunks.append(chunk)

    result = align(BASE, edited(edit))
    old_to = by_old(result)
    assert old_to["5.2"] == ("moved", ["26.3"])
    assert old_to["5.3"] == ("moved", ["5.2"])
    assert old_to["26.1"] == ("unchanged", ["26.1"])
    match = next(m for m in result.matches if m.old == ["5.2"])
    assert 0.75 < match.score < 1.0


def test_split_and_merge_are_recognised() -> None:
    def edit(d: Draft) -> None:
        p53 = article(d, 5).chunks[2]
        first, second = p53.text.split(" For the category", 1)
        article(d, 5).chunks[2:3] = [Chunk(p53.origin, first), Chunk(p53.origin, "For the category" + second)]
        art6 = article(d, 6)
        art6.chunks[0:2] = [Chunk([], art6.chunks[0].text + " " + art6.chunks[1].text)]

    result = align(BASE, edited(edit))
    kinds = {(tuple(m.old), tuple(m.new)): m.kind for m in result.matches}
    assert kinds[("5.3",), ("5.3", "5.4")] == "split"
    assert kinds[("6.1", "6.2"), ("6.1",)] == "merged"
    assert by_old(result)["5.4"] == ("moved", ["5.5"])


def test_deleted_and_new_paragraphs_are_removed_and_added() -> None:
    def edit(d: Draft) -> None:
        article(d, 12).chunks.pop(3)  # 12.4 "Records shall be kept for a minimum of ten years."
        article(d, 16).chunks.append(
            Chunk([], "Each State Party shall consult survivors and affected communities on assistance.")
        )

    result = align(BASE, edited(edit))
    assert result.removed == ["12.4"]
    assert result.added == ["16.4"]


def test_pinned_and_forbidden_corrections() -> None:
    new = parse_text(ATT)
    result = align(BASE, new, pinned=[(["5.1"], ["5.2"]), (["5.2"], ["5.1"])], forbidden=[("6.1", "6.1")])
    old_to = by_old(result)
    assert old_to["5.1"] == ("moved", ["5.2"]) and old_to["5.2"] == ("moved", ["5.1"])
    assert all(m.pinned == (m.old in (["5.1"], ["5.2"])) for m in result.matches)
    assert ("6.1", "6.1") not in result.pairs()
    assert_accounts_for_everything(result, BASE, new)
    # A pinned many-to-one group is kept as given.
    result = align(BASE, new, pinned=[(["6.1", "6.2"], ["6.1"])])
    assert by_old(result)["6.2"] == ("merged", ["6.1"])
    with pytest.raises(ValueError, match="unknown"):
        align(BASE, new, pinned=[(["99.9"], ["1"])])
    with pytest.raises(ValueError, match="more than one"):
        align(BASE, new, pinned=[(["1"], ["1"]), (["1"], ["2.1"])])


def test_as_dict_has_the_documented_shape() -> None:
    data = align(BASE, edited(lambda d: article(d, 12).chunks.pop(3))).as_dict()
    assert set(data) == {"matches", "removed", "added"}
    assert data["removed"] == ["12.4"] and data["added"] == []
    assert set(data["matches"][0]) == {"old", "new", "kind"}


# ----------------------------------------------------- generated drafts: quality


def test_precision_and_recall_on_generated_drafts() -> None:
    true_pos = false_pos = false_neg = 0
    for seed in SEEDS:
        draft = make_draft(BASE, seed)
        new = parse_text(draft.to_markdown())
        assert [p.id for p in new.provisions()] == [i for i, _ in draft.ids()]
        truth, removed, added = draft.truth([p.id for p in BASE.provisions()])
        result = align(BASE, new)
        assert_accounts_for_everything(result, BASE, new)
        predicted = result.pairs()
        true_pos += len(predicted & truth)
        false_pos += len(predicted - truth)
        false_neg += len(truth - predicted)
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\nalignment over {len(SEEDS)} drafts: precision {precision:.4f}, recall {recall:.4f}")
    assert precision >= 0.95 and recall >= 0.95


def test_heavier_edits_still_align_well() -> None:
    """Twice the number of moves/splits/merges/insertions per draft."""
    true_pos = predicted_total = truth_total = 0
    for seed in range(100, 115):
        draft = make_draft(BASE, seed, intensity=2.0)
        truth, _, _ = draft.truth([p.id for p in BASE.provisions()])
        predicted = align(BASE, parse_text(draft.to_markdown())).pairs()
        true_pos += len(predicted & truth)
        predicted_total += len(predicted)
        truth_total += len(truth)
    print(f"\nheavy edits: precision {true_pos / predicted_total:.4f}, recall {true_pos / truth_total:.4f}")
    assert true_pos / predicted_total >= 0.95 and true_pos / truth_total >= 0.95


# ------------------------------------------------------------------ properties

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(seed=st.integers(0, 10**6), intensity=st.sampled_from([0.5, 1.0, 2.0]))
def test_a_draft_aligned_with_itself_is_all_unchanged(seed: int, intensity: float) -> None:
    doc = parse_text(make_draft(BASE, seed, intensity).to_markdown())
    result = align(doc, doc)
    assert {m.kind for m in result.matches} == {"unchanged"}
    assert all(m.old == m.new for m in result.matches)
    assert not result.removed and not result.added


@FAST
@given(seed=st.integers(0, 10**6), intensity=st.sampled_from([0.5, 1.0, 2.0]))
def test_every_provision_is_accounted_for_exactly_once(seed: int, intensity: float) -> None:
    new = parse_text(make_draft(BASE, seed, intensity).to_markdown())
    for old, newer in ((BASE, new), (new, BASE)):
        result = align(old, newer)
        assert_accounts_for_everything(result, old, newer)
        assert all(m.kind in ("unchanged", "reworded", "moved", "split", "merged") for m in result.matches)
        assert all(0.0 <= m.score <= 1.0 for m in result.matches)


@FAST
@example(seed=1000000, shuffle_seed=0)  # a split whose parts end up in swapped articles
@given(seed=st.integers(0, 10**6), shuffle_seed=st.integers(0, 10**6))
def test_result_does_not_depend_on_article_order(seed: int, shuffle_seed: int) -> None:
    draft = make_draft(BASE, seed)
    order = list(range(len(draft.articles)))
    random.Random(shuffle_seed).shuffle(order)
    in_order = align(BASE, parse_text(draft.to_markdown()))
    shuffled = align(BASE, parse_text(draft.to_markdown(article_order=order)))
    assert in_order.pairs() == shuffled.pairs()
    assert in_order.removed == shuffled.removed
    assert sorted(in_order.added) == sorted(shuffled.added)
    # Parts of a split are listed in document order, which the shuffle changes.
    kinds = {(frozenset(m.old), frozenset(m.new)): m.kind for m in in_order.matches}
    for m in shuffled.matches:
        before = kinds[(frozenset(m.old), frozenset(m.new))]
        assert before == m.kind or {before, m.kind} == {"unchanged", "moved"}


@FAST
@given(seed=st.integers(0, 10**6), data=st.data())
def test_forbidden_pairs_never_appear(seed: int, data: st.DataObject) -> None:
    new = parse_text(make_draft(BASE, seed).to_markdown())
    pairs = sorted(align(BASE, new).pairs())
    forbidden = data.draw(st.lists(st.sampled_from(pairs), max_size=5, unique=True))
    result = align(BASE, new, forbidden=forbidden)
    assert not set(forbidden) & result.pairs()
    assert_accounts_for_everything(result, BASE, new)


def _heavily_reworded(text: str, seed: int) -> str:
    """Keep about a third of the words in place, replace the rest with words of
    the treaty (a paragraph rewritten for the same purpose)."""
    from rapidfuzz.distance import Indel

    from clamour.testing.drafts import reword

    vocab = sorted({w.strip(",.;:()") for p in BASE.provisions() for w in p.full_text.split()} - {""})
    rng = random.Random(seed)
    rate = 0.55
    while True:
        new = reword(text, rate, rng, vocab)
        score = Indel.normalized_similarity(new.lower().split(), text.lower().split())
        if 0.3 <= score < 0.48:
            return new
        rate += 0.03 if score >= 0.48 else -0.03


@pytest.mark.parametrize("pid, seed", [("6.2", 1), ("7.3", 2), ("11.4", 3), ("16.2", 4)])
def test_a_paragraph_rewritten_in_its_place_is_followed(pid: str, seed: int) -> None:
    art, para = (int(x) for x in pid.split("."))

    def rewrite(d: Draft) -> None:
        chunk = article(d, art).chunks[para - 1]
        chunk.text = _heavily_reworded(chunk.text, seed)

    new = edited(rewrite)
    result = align(BASE, new)
    assert (pid, pid) in result.pairs()
    assert pid not in result.removed and pid not in result.added


def test_an_unrelated_paragraph_in_the_same_place_is_not_taken_for_a_rewrite() -> None:
    def replace(d: Draft) -> None:
        article(d, 6).chunks[1] = Chunk([], "The Secretariat shall maintain a public register describing "
                                        "the environmental impact of munitions.")

    result = align(BASE, edited(replace))
    assert "6.2" in result.removed and "6.2" in result.added


def test_the_continuation_in_the_same_article_is_preferred_over_a_copy_elsewhere() -> None:
    # 6.2 is kept, lightly reworded, in Article 6; a verbatim copy of it is also
    # pasted into Article 20. The copy is a little closer in words, but the
    # paragraph's place says the continuation is the one in Article 6.
    from clamour.testing.drafts import reword

    vocab = sorted({w.strip(",.;:()") for p in BASE.provisions() for w in p.full_text.split()} - {""})
    original = BASE.get("6.2").text
    kept = reword(original, 0.06, random.Random(3), vocab)

    def edit(d: Draft) -> None:
        article(d, 6).chunks[1].text = kept
        article(d, 20).chunks.append(Chunk([], original))

    new = edited(edit)
    copy_id = f"20.{len(article(Draft.from_document(BASE), 20).chunks) + 1}"
    result = align(BASE, new)
    assert ("6.2", "6.2") in result.pairs()
    assert copy_id in result.added


def _containment(part: str, whole: str) -> float:
    from rapidfuzz.distance import LCSseq

    from clamour.lib.alignment.align import _Encoder

    enc = _Encoder()
    a, b = enc.encode(part), enc.encode(whole)
    return LCSseq.similarity(a, b) / len(a)


# (first, second, reword fraction, seed): the second paragraph is reworded so
# that only 55-75% of its words survive, in order, in the merged paragraph (or,
# for a split, in the paragraph it was cut from).
PARTLY_MERGED = [("5.3", "5.4", 0.7, 2), ("7.3", "7.4", 0.7, 1), ("7.3", "7.4", 0.6, 2)]
PARTLY_SPLIT = [("5.3", "5.4", 0.7, 2), ("7.3", "7.4", 0.7, 1), ("6.1", "6.2", 0.7, 2), ("6.1", "6.2", 0.6, 1)]


@pytest.mark.parametrize("first,second,fraction,seed", PARTLY_MERGED)
def test_a_merge_whose_second_source_is_only_two_thirds_contained_is_found(
    first: str, second: str, fraction: float, seed: int
) -> None:
    from clamour.testing.drafts import reword

    vocab = sorted({w.strip(",.;:()") for p in BASE.provisions() for w in p.full_text.split()} - {""})
    reworded = reword(BASE.get(second).text, fraction, random.Random(seed), vocab)
    art, para = (int(x) for x in first.split("."))

    def merge(d: Draft) -> None:
        chunks = article(d, art).chunks
        chunks[para - 1 : para + 1] = [Chunk([], chunks[para - 1].text + " " + reworded)]

    new = edited(merge)
    assert 0.55 <= _containment(BASE.get(second).text, new.get(first).text) < 0.75
    result = align(BASE, new)
    assert by_old(result)[second] == ("merged", [first])
    assert by_old(result)[first] == ("merged", [first])


@pytest.mark.parametrize("first,second,fraction,seed", PARTLY_SPLIT)
def test_a_split_whose_second_part_is_only_two_thirds_contained_is_found(
    first: str, second: str, fraction: float, seed: int
) -> None:
    from clamour.testing.drafts import reword

    vocab = sorted({w.strip(",.;:()") for p in BASE.provisions() for w in p.full_text.split()} - {""})
    reworded = reword(BASE.get(second).text, fraction, random.Random(seed), vocab)
    art, para = (int(x) for x in first.split("."))

    def joined(d: Draft) -> None:
        chunks = article(d, art).chunks
        chunks[para - 1 : para + 1] = [Chunk([], chunks[para - 1].text + " " + chunks[para].text)]

    def second_reworded(d: Draft) -> None:
        article(d, art).chunks[para].text = reworded

    old, new = edited(joined), edited(second_reworded)
    assert 0.55 <= _containment(new.get(second).text, old.get(first).text) < 0.75
    result = align(old, new)
    assert by_old(result)[first] == ("split", [first, second])
