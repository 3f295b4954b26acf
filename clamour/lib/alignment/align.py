"""Align the provisions of two drafts by content, not by number.

Negotiators renumber, move, split and merge provisions between drafts, so the
number ``5.2`` says little about which earlier text a provision came from. We
compare words instead:

1. Each paragraph-level provision becomes a word sequence (typography and case
   normalised). Words are mapped to single characters so that rapidfuzz's C++
   string metrics run on *words*: Indel similarity (how much was reworded) and
   LCS length (how much of one text is contained in the other).
2. One-to-one matches: every candidate pair above ``MATCH_THRESHOLD`` is
   ranked by similarity and taken greedily while both sides are still free.
   Ties go to the pair keeping the same id, then to document order, so the
   result never depends on where unrelated articles sit. A match into another
   article then gives way to an unmatched paragraph nearly as similar
   (within ``CLOSE``) in the article where its neighbours went: a copy
   elsewhere is not the paragraph's continuation.
3. Splits and merges: a provision left over on one side whose words are mostly
   contained in a provision on the other side (``CONTAINMENT_THRESHOLD``) joins
   that provision's match, provided it covers words the match did not cover yet.
   This is what turns "5.3 deleted, 5.4 added" into "5.3 split into 5.3 + 5.4".
   A part reworded on the way in (a merge whose second source is only about
   two-thirds contained) still joins when its neighbour in the same article is
   already part of that match and ``CONTINUATION_THRESHOLD`` of its words are
   found there: it is the continuation of the text next to it.
4. Structure as evidence: in an article whose other paragraphs matched into
   one new article, a paragraph left alone in the same gap between matched
   neighbours on both sides is the same provision rewritten, when at least
   ``STRUCTURE_THRESHOLD`` of its words survive (heavy rewording that the
   word threshold alone would call a removal plus an addition).
5. Everything left is removed (old) or added (new).

Analysts can correct the result: ``pinned`` groups are taken as given, and
``forbidden`` pairs are never proposed.

Candidate generation uses ``rapidfuzz.process.extract`` with a score cutoff,
which loops over the other draft in C++; no similarity matrix is built in
Python, so 8x the treaty still aligns in well under a second.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel, LCSseq

from .parse import Document, Provision, normalise_text

__all__ = ["Alignment", "Match", "align", "KINDS"]

KINDS = ("unchanged", "reworded", "moved", "split", "merged")

MATCH_THRESHOLD = 0.5  # Indel similarity of words for a 1:1 match
CONTAINMENT_THRESHOLD = 0.75  # share of a leftover's words found, in order, in the other text
CONTINUATION_THRESHOLD = 0.55  # ... enough when the part's neighbour already matched there
MIN_PART_WORDS = 4  # shorter leftovers are too unspecific to be split/merge parts
STRUCTURE_THRESHOLD = 0.3  # similarity enough for a paragraph that kept its place
GAP_THRESHOLD = 0.2  # content-word similarity of a rewritten pair inside a wider gap
GAP_MARGIN = 0.05  # ... and by how much it must beat every other pairing in that gap
# Words that say nothing about what a paragraph is about: left out when two
# heavily rewritten paragraphs are compared by their content words.
_FUNCTION_WORDS = frozenset(
    "a an and any are as at be been by for from has have in into is it its may not of on or "
    "shall such than that the their these this those to under was were which with".split()
)
CLOSE = 0.05  # similarities this close are a tie that the article decides


@dataclass
class Match:
    old: list[str]
    new: list[str]
    kind: str
    score: float  # Indel word similarity of the joined old and new texts, 0..1
    pinned: bool = False

    def as_dict(self) -> dict:
        return {"old": list(self.old), "new": list(self.new), "kind": self.kind}


@dataclass
class Alignment:
    matches: list[Match] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def pairs(self) -> set[tuple[str, str]]:
        """Every (old id, new id) link; a split or merge gives one pair per part."""
        return {(o, n) for m in self.matches for o in m.old for n in m.new}

    def as_dict(self) -> dict:
        return {
            "matches": [m.as_dict() for m in self.matches],
            "removed": list(self.removed),
            "added": list(self.added),
        }


# ------------------------------------------------------------------- encoding

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


class _Encoder:
    """Maps each distinct word to one character, shared by both drafts."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def words(self, text: str) -> list[str]:
        return _WORD.findall(normalise_text(text).lower())

    def encode(self, text: str) -> str:
        out = []
        for word in self.words(text):
            code = self.codes.get(word)
            if code is None:
                code = self.codes[word] = chr(0x10000 + len(self.codes))
            out.append(code)
        return "".join(out)


# ------------------------------------------------------------------ the aligner


@dataclass
class _Group:
    old: list[int]
    new: list[int]
    pinned: bool = False


class _Aligner:
    def __init__(
        self,
        old: Sequence[Provision],
        new: Sequence[Provision],
        pinned: Iterable[tuple[Sequence[str], Sequence[str]]],
        forbidden: Iterable[tuple[str, str]],
    ) -> None:
        self.old, self.new = list(old), list(new)
        enc = _Encoder()
        self.old_enc = [enc.encode(p.full_text) for p in self.old]
        self.new_enc = [enc.encode(p.full_text) for p in self.new]
        self.old_index = {p.id: i for i, p in enumerate(self.old)}
        self.new_index = {p.id: i for i, p in enumerate(self.new)}
        self.forbidden = {
            (self.old_index[o], self.new_index[n])
            for o, n in forbidden
            if o in self.old_index and n in self.new_index
        }
        self._enc = enc
        self._content: dict[tuple[str, int], str] = {}
        self.old_group: dict[int, _Group] = {}
        self.new_group: dict[int, _Group] = {}
        self.groups: list[_Group] = []
        for old_ids, new_ids in pinned:
            self._add_pinned(list(old_ids), list(new_ids))

    # -- bookkeeping

    def _add_pinned(self, old_ids: list[str], new_ids: list[str]) -> None:
        unknown = [i for i in old_ids if i not in self.old_index] + [
            i for i in new_ids if i not in self.new_index
        ]
        if unknown:
            raise ValueError(f"Pinned match refers to unknown provision ids: {', '.join(unknown)}")
        if not old_ids or not new_ids:
            raise ValueError("A pinned match needs at least one old and one new provision.")
        group = _Group([self.old_index[i] for i in old_ids], [self.new_index[i] for i in new_ids], True)
        if any(o in self.old_group for o in group.old) or any(n in self.new_group for n in group.new):
            raise ValueError("A provision appears in more than one pinned match.")
        self._register(group)

    def _register(self, group: _Group) -> None:
        self.groups.append(group)
        for o in group.old:
            self.old_group[o] = group
        for n in group.new:
            self.new_group[n] = group

    def _join(self, group_side: list[int], enc: list[str]) -> str:
        return "".join(enc[i] for i in sorted(group_side))

    def content(self, side: str, i: int) -> str:
        """The provision's content words (function words left out), encoded."""
        key = (side, i)
        text = self._content.get(key)
        if text is None:
            p = (self.old if side == "old" else self.new)[i]
            words = [w for w in self._enc.words(p.full_text) if w not in _FUNCTION_WORDS]
            text = self._content[key] = "".join(self._enc.encode(w) for w in words)
        return text

    # -- passes

    def one_to_one(self) -> None:
        free_old = [i for i in range(len(self.old)) if i not in self.old_group]
        choices = [self.old_enc[i] for i in free_old]
        candidates: list[tuple[float, int, int, str, int]] = []
        for n in range(len(self.new)):
            if n in self.new_group or not self.new_enc[n]:
                continue
            hits = process.extract(
                self.new_enc[n],
                choices,
                scorer=Indel.normalized_similarity,
                score_cutoff=MATCH_THRESHOLD,
                limit=None,
            )
            for _, score, k in hits:
                o = free_old[k]
                if (o, n) in self.forbidden:
                    continue
                same_id = self.old[o].id == self.new[n].id
                # Rank: score, then same id, then old order, then the new id
                # (never the new position, which unrelated moves change).
                candidates.append((-round(score, 9), 0 if same_id else 1, o, self.new[n].id, n))
        candidates.sort()
        for *_, o, _, n in candidates:
            if o not in self.old_group and n not in self.new_group:
                self._register(_Group([o], [n]))

    def _best_container(
        self,
        part: str,
        others: list[int],
        other_enc: list[str],
        part_is_new: bool,
        idx: int,
        threshold: float = CONTAINMENT_THRESHOLD,
    ) -> int | None:
        """The provision on the other side that best contains ``part`` (by LCS)."""
        if len(part) < MIN_PART_WORDS or not others:
            return None
        cutoff = int(threshold * len(part) + 0.999)
        hits = process.extract(
            part, [other_enc[i] for i in others], scorer=LCSseq.similarity, score_cutoff=cutoff, limit=None
        )
        best: tuple[float, str, int] | None = None
        for _, lcs, k in hits:
            j = others[k]
            pair = (j, idx) if part_is_new else (idx, j)
            if pair in self.forbidden:
                continue
            key = (-lcs, self.old[j].id if part_is_new else self.new[j].id, j)
            if best is None or key < best:
                best = key
        return None if best is None else best[2]

    @staticmethod
    def _coverage(target: str, parts: list[str]) -> int:
        """How many of ``target``'s words the parts supply (a multiset count, so
        the parts' order - which moving unrelated articles changes - is irrelevant)."""
        return sum((Counter(target) & Counter("".join(parts))).values())

    def splits_and_merges(self) -> bool:
        changed = False
        for side in ("new", "old"):
            part_is_new = side == "new"
            enc = self.new_enc if part_is_new else self.old_enc
            other_enc = self.old_enc if part_is_new else self.new_enc
            mine = self.new_group if part_is_new else self.old_group
            theirs = self.old_group if part_is_new else self.new_group
            others = list(range(len(other_enc)))
            provisions = self.new if part_is_new else self.old
            # Visit leftovers in id order, not position, for order independence.
            for idx in sorted(range(len(enc)), key=lambda i: provisions[i].id):
                if idx in mine:
                    continue
                threshold = CONTAINMENT_THRESHOLD
                j = self._best_container(enc[idx], others, other_enc, part_is_new, idx)
                if j is None:
                    # The continuation of a neighbour: the provision just before
                    # or after this one, in the same article, already matched.
                    near = [
                        k
                        for k in (idx - 1, idx + 1)
                        if 0 <= k < len(enc) and k in mine and _same_article(provisions[k], provisions[idx])
                    ]
                    candidates = sorted({i for k in near for i in (_other_side(mine[k], part_is_new))})
                    threshold = CONTINUATION_THRESHOLD
                    j = self._best_container(enc[idx], candidates, other_enc, part_is_new, idx, threshold)
                if j is None:
                    continue
                group = theirs.get(j)
                if group is None:
                    self._register(_Group([j], [idx]) if part_is_new else _Group([idx], [j]))
                    changed = True
                    continue
                my_side = group.new if part_is_new else group.old
                their_side = group.old if part_is_new else group.new
                if group.pinned or len(their_side) != 1:
                    continue  # no many-to-many guesses
                before = self._coverage(other_enc[j], [enc[i] for i in sorted(my_side)])
                after = self._coverage(other_enc[j], [enc[i] for i in sorted(my_side + [idx])])
                if after - before >= 0.5 * threshold * len(enc[idx]):
                    my_side.append(idx)
                    my_side.sort()
                    mine[idx] = group
                    changed = True
        return changed

    def _article_targets(self) -> tuple[list[list[int]], list[list[int]], dict[int, int]]:
        """Old and new article runs, and for each old run the new run most of
        its one-to-one matches went to."""
        old_articles, new_articles = _runs(self.old), _runs(self.new)
        new_article_of = {n: k for k, run in enumerate(new_articles) for n in run}
        targets: dict[int, int] = {}
        for r, run in enumerate(old_articles):
            votes: Counter[int] = Counter()
            for o in run:
                group = self.old_group.get(o)
                if group is not None and len(group.old) == 1 and len(group.new) == 1:
                    votes[new_article_of[group.new[0]]] += 1
            if votes:
                targets[r] = votes.most_common(1)[0][0]
        return old_articles, new_articles, targets

    def prefer_same_article(self) -> None:
        """A paragraph copied into another article can match as well as its real
        continuation: when an unmatched paragraph in the article this one's
        neighbours went to is about as similar (within ``CLOSE``), take it."""
        old_articles, new_articles, targets = self._article_targets()
        new_article_of = {n: k for k, run in enumerate(new_articles) for n in run}
        for r, run in enumerate(old_articles):
            if r not in targets:
                continue
            target = new_articles[targets[r]]
            free = [n for n in target if n not in self.new_group and self.new_enc[n]]
            if not free:
                continue
            for o in run:
                group = self.old_group.get(o)
                if group is None or group.pinned or len(group.old) != 1 or len(group.new) != 1:
                    continue
                n = group.new[0]
                if new_article_of[n] == targets[r]:
                    continue
                score = Indel.normalized_similarity(self.old_enc[o], self.new_enc[n])
                best = None
                for m in free:
                    if (o, m) in self.forbidden:
                        continue
                    other = Indel.normalized_similarity(self.old_enc[o], self.new_enc[m])
                    if other >= max(MATCH_THRESHOLD, score - CLOSE) and (best is None or other > best[0]):
                        best = (other, m)
                if best is not None:
                    m = best[1]
                    del self.new_group[n]
                    group.new = [m]
                    self.new_group[m] = group
                    free.remove(m)

    def by_structure(self) -> None:
        """Use structure as evidence: in two articles whose other paragraphs
        matched each other, an unmatched old paragraph and an unmatched new one
        standing alone in the same gap between matched neighbours (or at the
        same end of the article) are the same provision rewritten, unless their
        words say otherwise (similarity under ``STRUCTURE_THRESHOLD``)."""
        old_articles = _runs(self.old)
        new_articles = _runs(self.new)
        new_article_of = {n: k for k, run in enumerate(new_articles) for n in run}
        for run in old_articles:
            # The new article most of this article's matched paragraphs went to.
            votes: Counter[int] = Counter()
            for o in run:
                group = self.old_group.get(o)
                if group is not None and len(group.old) == 1 and len(group.new) == 1:
                    votes[new_article_of[group.new[0]]] += 1
            if not votes:
                continue
            target = new_articles[votes.most_common(1)[0][0]]
            anchors = [
                (i, target.index(self.old_group[o].new[0]))
                for i, o in enumerate(run)
                if o in self.old_group
                and len(self.old_group[o].old) == 1
                and len(self.old_group[o].new) == 1
                and self.old_group[o].new[0] in target
            ]
            # Gaps between consecutive anchors that keep their order, and the two ends.
            bounds = [(-1, -1)] + [a for a in anchors] + [(len(run), len(target))]
            for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
                if i1 <= i0 or j1 <= j0:
                    continue
                old_gap = [run[i] for i in range(i0 + 1, i1) if run[i] not in self.old_group]
                new_gap = [target[j] for j in range(j0 + 1, j1) if target[j] not in self.new_group]
                if not old_gap or not new_gap:
                    continue
                if len(old_gap) == 1 and len(new_gap) == 1:
                    o, n = old_gap[0], new_gap[0]
                    if (o, n) in self.forbidden or not self.old_enc[o] or not self.new_enc[n]:
                        continue
                    if Indel.normalized_similarity(self.old_enc[o], self.new_enc[n]) >= STRUCTURE_THRESHOLD:
                        self._register(_Group([o], [n]))
                    continue
                self._rewritten_in_gap(old_gap, new_gap)

    def _rewritten_in_gap(self, old_gap: list[int], new_gap: list[int]) -> None:
        """Several paragraphs left on both sides of one gap (a preamble largely
        rewritten, paragraphs added around the survivors): a pair is the same
        provision rewritten when each is the other's clear best in the gap by
        content words (``GAP_THRESHOLD``, ahead of any other by ``GAP_MARGIN``)
        and the pairs taken keep the document order."""
        score = {
            (o, n): Indel.normalized_similarity(self.content("old", o), self.content("new", n))
            for o in old_gap
            for n in new_gap
            if (o, n) not in self.forbidden and self.content("old", o) and self.content("new", n)
        }

        def clear_best(me: int, others: list[int], key) -> int | None:
            ranked = sorted(((score.get(key(me, x), 0.0), x) for x in others), reverse=True)
            if not ranked or ranked[0][0] < GAP_THRESHOLD:
                return None
            if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < GAP_MARGIN:
                return None
            return ranked[0][1]

        taken: list[tuple[int, int]] = []
        for o in old_gap:
            n = clear_best(o, new_gap, lambda a, b: (a, b))
            if n is not None and clear_best(n, old_gap, lambda a, b: (b, a)) == o:
                taken.append((o, n))
        # Keep only pairs in document order on both sides (a crossing pair is
        # no evidence of a paragraph that kept its place).
        taken.sort()
        last = -1
        for o, n in taken:
            if n > last:
                self._register(_Group([o], [n]))
                last = n

    # -- result

    def result(self) -> Alignment:
        matches = []
        for group in sorted(self.groups, key=lambda g: (min(g.new), min(g.old))):
            old_ids = [self.old[i].id for i in sorted(group.old)]
            new_ids = [self.new[i].id for i in sorted(group.new)]
            old_text = self._join(group.old, self.old_enc)
            new_text = self._join(group.new, self.new_enc)
            score = round(Indel.normalized_similarity(old_text, new_text), 4)
            if len(old_ids) == 1 and len(new_ids) == 1:
                if old_ids != new_ids:
                    kind = "moved"
                else:
                    same = normalise_text(self.old[group.old[0]].full_text) == normalise_text(
                        self.new[group.new[0]].full_text
                    )
                    kind = "unchanged" if same else "reworded"
            else:
                kind = "split" if len(new_ids) > len(old_ids) else "merged"
            matches.append(Match(old_ids, new_ids, kind, score, group.pinned))
        removed = [p.id for i, p in enumerate(self.old) if i not in self.old_group]
        added = [p.id for i, p in enumerate(self.new) if i not in self.new_group]
        return Alignment(matches, removed, added)


def _other_side(group: _Group, part_is_new: bool) -> list[int]:
    """The other side of a group, seen from the side a leftover part is on."""
    return group.old if part_is_new else group.new


def _same_article(a: Provision, b: Provision) -> bool:
    return (a.article if a.article is not None else a.kind) == (b.article if b.article is not None else b.kind)


def _runs(provisions: Sequence[Provision]) -> list[list[int]]:
    """Indexes of the provisions of each article (preamble and principles too),
    in document order."""
    runs: list[list[int]] = []
    key = object()
    for i, p in enumerate(provisions):
        k = p.article if p.article is not None else p.kind
        if not runs or k != key:
            runs.append([])
            key = k
        runs[-1].append(i)
    return runs


def _provisions(doc: Document | Sequence[Provision]) -> list[Provision]:
    return doc.provisions() if isinstance(doc, Document) else list(doc)


def align(
    old_doc: Document | Sequence[Provision],
    new_doc: Document | Sequence[Provision],
    pinned: Iterable[tuple[Sequence[str], Sequence[str]]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
) -> Alignment:
    """Match the paragraph-level provisions of two drafts.

    ``pinned``: analyst-confirmed groups ``(old_ids, new_ids)``, kept as given.
    ``forbidden``: ``(old_id, new_id)`` pairs the analyst rejected.
    Every provision of either draft ends up in exactly one match, or in
    ``removed`` / ``added``. Raises ``ValueError`` for inconsistent pins.
    """
    aligner = _Aligner(_provisions(old_doc), _provisions(new_doc), pinned, forbidden)
    aligner.one_to_one()
    aligner.prefer_same_article()
    for _ in range(3):
        if not aligner.splits_and_merges():
            break
    aligner.by_structure()
    return aligner.result()
