"""Between the text engine (`clamour.lib.alignment`) and the database.

- `create_draft` stores a parsed document as provision rows, aligns it with its
  neighbours on the timeline and gives every provision its lineage, all in one
  transaction: a draft is stored completely or not at all.
- `comparison` returns the stored alignment of two drafts, computing it once. Public
  pages only read stored results; nothing is re-aligned per request.
- Analyst corrections (pins and forbidden pairs) are stored and passed to the aligner
  every time the same two drafts are aligned again, and the lineages computed from the
  corrected alignment flow on into every later draft.
- `suggest_verdicts` carries a verdict into the next draft when the provisions its ask
  is attached to did not change, and otherwise proposes it for review.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rapidfuzz.distance import Indel

from clamour.core.tasks import enqueue
from clamour.lib.alignment import Document, align, normalise_text, redline_html
from clamour.lib.alignment import Provision as EngineProvision

from .mail import queue_breakdown_alerts
from .models import (
    Ask,
    Comparison,
    Correction,
    Draft,
    Lineage,
    MatchGroup,
    Provision,
    ProvisionLineage,
    Verdict,
)

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------ documents


def provision_text(provision: EngineProvision) -> str:
    """The provision's own words, then each sub-item on its own line, indented by depth
    and starting with its label. Joining the lines with spaces gives the engine's
    `full_text`, so what is stored aligns exactly as what was parsed."""
    lines = [provision.text] if provision.text else []

    def walk(item, depth):
        for child in item.children:
            head = f"{child.label} {child.text}".strip() if child.label else child.text
            if head:
                lines.append("  " * depth + head)
            walk(child, depth + 1)

    walk(provision, 1)
    return "\n".join(lines)


def rows_from_document(draft: Draft, doc: Document, keep_redline: bool = False) -> list[Provision]:
    """The draft's provisions as rows. Footnotes go to ``notes``; with
    ``keep_redline``, a provision whose file had tracked revisions keeps them as
    the draft's own redline (its text before the revisions against the text
    with them accepted)."""

    def extras(p) -> dict:
        return {
            "notes": "\n".join(" ".join(n.split()) for n in p.notes),
            "tracked_redline": redline_html(p.before, p.full_text) if keep_redline and p.before else "",
        }

    rows = []
    for kind, items in (("preamble", doc.preamble), ("principle", doc.principles)):
        for p in items:
            rows.append(
                Provision(
                    draft=draft, pid=p.id, kind=kind, label=p.label, text=provision_text(p), **extras(p)
                )
            )
    for article in doc.articles:
        for p in article.provisions:
            rows.append(
                Provision(
                    draft=draft,
                    pid=p.id,
                    kind=p.kind if p.kind in ("paragraph", "body") else "paragraph",
                    label=p.label,
                    article=article.number,
                    article_title=article.title[:300],
                    text=provision_text(p),
                    **extras(p),
                )
            )
    for order, row in enumerate(rows):
        row.order = order * 10  # room to split without renumbering everything
    return rows


def engine_provisions(rows) -> list[EngineProvision]:
    return [EngineProvision(r.pid, r.kind, r.flat_text, r.label, r.article or None) for r in rows]


def unique_draft_slug(treaty, label: str, date) -> str:
    base = slugify(f"{date:%Y-%m-%d} {label}")[:70].strip("-") or f"{date:%Y-%m-%d}"
    slug, n = base, 2
    while Draft.objects.filter(treaty=treaty, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def create_draft(
    treaty,
    *,
    label,
    date,
    doc: Document,
    source_kind,
    summary="",
    upload=None,
    source_name="",
    source_text="",
    source_size=0,
    source_sha256="",
    user=None,
    keep_redline=False,
) -> Draft:
    """Store a parsed draft with its provisions, alignments and lineages, atomically.
    The original file (if any) is written to storage inside the transaction and removed
    again if anything fails, so nothing half-done is left behind."""
    stored_name = None
    try:
        with transaction.atomic():
            draft = Draft(
                treaty=treaty,
                label=label,
                date=date,
                summary=summary,
                source_kind=source_kind,
                source_name=source_name[:255],
                source_text=source_text,
                source_size=source_size,
                source_sha256=source_sha256,
                created_by=user if user and user.is_authenticated else None,
                slug=unique_draft_slug(treaty, label, date),
                doc_title=doc.title[:500],
                front_matter="\n".join(doc.front_matter),
                chapeau=doc.chapeau,
                agreed_formula=doc.agreed_formula,
                closing=doc.closing,
            )
            if upload is not None:
                draft.source_file.save(source_name or "draft", upload, save=False)
                stored_name = draft.source_file.name
            draft.save()
            Provision.objects.bulk_create(rows_from_document(draft, doc, keep_redline))
            rebuild_from(draft)
    except BaseException:
        if stored_name:
            Draft._meta.get_field("source_file").storage.delete(stored_name)
        raise
    return draft


# ---------------------------------------------------------------- comparisons


def _joined(rows) -> str:
    return "\n\n".join(r.text for r in rows)


def corrections_for(old: Draft, new: Draft, old_rows: dict, new_rows: dict):
    """Pinned groups and forbidden pairs (by provision id) for the aligner. The newest
    correction wins where two disagree; corrections whose provisions were deleted
    (merged away by a structure edit) are skipped."""
    pinned, forbidden = [], []
    used_old, used_new = set(), set()
    for c in Correction.objects.filter(old_draft=old, new_draft=new).order_by("-created_at", "-pk"):
        o = [old_rows[i].pid for i in c.old_ids if i in old_rows]
        n = [new_rows[i].pid for i in c.new_ids if i in new_rows]
        if not o or not n:
            continue
        if c.kind == Correction.Kind.PIN:
            if used_old & set(o) or used_new & set(n):
                continue
            used_old |= set(o)
            used_new |= set(n)
            pinned.append((o, n))
        else:
            forbidden.extend((a, b) for a in o for b in n)
    pinned_pairs = {(a, b) for o, n in pinned for a in o for b in n}
    forbidden = [pair for pair in forbidden if pair not in pinned_pairs]
    return pinned, forbidden


def compute(old: Draft, new: Draft) -> Comparison:
    """Align two drafts (with the analyst's corrections) and store the result."""
    old_list = list(old.provisions.order_by("order"))
    new_list = list(new.provisions.order_by("order"))
    old_rows = {r.pk: r for r in old_list}
    new_rows = {r.pk: r for r in new_list}
    by_old_pid = {r.pid: r for r in old_list}
    by_new_pid = {r.pid: r for r in new_list}
    pinned, forbidden = corrections_for(old, new, old_rows, new_rows)
    started = time.perf_counter()
    try:
        result = align(
            engine_provisions(old_list), engine_provisions(new_list), pinned=pinned, forbidden=forbidden
        )
    except ValueError:
        # Inconsistent pins (cannot happen through save_correction, which drops overlapping
        # ones): align without them rather than fail the page.
        logger.warning("Ignoring inconsistent pinned matches between drafts %s and %s", old.pk, new.pk)
        result = align(engine_provisions(old_list), engine_provisions(new_list), forbidden=forbidden)
    seconds = time.perf_counter() - started

    groups: list[tuple[tuple, MatchGroup]] = []
    new_position = {r.pk: i for i, r in enumerate(new_list)}
    old_anchor = {}  # old pk -> position of the new provision it became
    for m in result.matches:
        o = [by_old_pid[i] for i in m.old]
        n = [by_new_pid[i] for i in m.new]
        changed = normalise_text(" ".join(r.flat_text for r in o)) != normalise_text(
            " ".join(r.flat_text for r in n)
        )
        group = MatchGroup(
            kind=m.kind,
            score=m.score,
            pinned=m.pinned,
            old_ids=[r.pk for r in o],
            new_ids=[r.pk for r in n],
            text_changed=changed,
            redline_html=redline_html(_joined(o), _joined(n)) if changed else "",
            section=n[0].section_key,
        )
        key = (min(new_position[r.pk] for r in n), 0, 0)
        for r in o:
            old_anchor[r.pk] = key[0]
        groups.append((key, group))
    anchor = -1
    removed = set(result.removed)
    for i, r in enumerate(old_list):
        if r.pk in old_anchor:
            anchor = old_anchor[r.pk]
        elif r.pid in removed:
            groups.append(
                (
                    (anchor, 1, i),
                    MatchGroup(
                        kind=MatchGroup.Kind.REMOVED,
                        score=0,
                        old_ids=[r.pk],
                        new_ids=[],
                        text_changed=True,
                        redline_html=redline_html(r.text, ""),
                        section=r.section_key,
                    ),
                )
            )
    for pid in result.added:
        r = by_new_pid[pid]
        groups.append(
            (
                (new_position[r.pk], 0, 0),
                MatchGroup(
                    kind=MatchGroup.Kind.ADDED,
                    score=0,
                    old_ids=[],
                    new_ids=[r.pk],
                    text_changed=True,
                    redline_html=redline_html("", r.text),
                    section=r.section_key,
                ),
            )
        )
    groups.sort(key=lambda pair: pair[0])
    counts: dict[str, int] = defaultdict(int)
    for _key, g in groups:
        counts["renumbered" if g.kind == "moved" and not g.text_changed else g.kind] += 1

    with transaction.atomic():
        Comparison.objects.filter(old_draft=old, new_draft=new).delete()
        comparison = Comparison.objects.create(
            treaty_id=new.treaty_id,
            old_draft=old,
            new_draft=new,
            seconds=seconds,
            counts=dict(counts),
        )
        for order, (_key, g) in enumerate(groups):
            g.comparison = comparison
            g.order = order
        MatchGroup.objects.bulk_create([g for _key, g in groups])
    return comparison


def comparison(old: Draft, new: Draft) -> Comparison:
    """The stored alignment of two drafts, computed the first time it is asked for."""
    found = Comparison.objects.filter(old_draft=old, new_draft=new).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return compute(old, new)
    except IntegrityError:  # computed at the same moment by another request
        return Comparison.objects.get(old_draft=old, new_draft=new)


def forget_comparisons(draft: Draft) -> None:
    Comparison.objects.filter(Q(old_draft=draft) | Q(new_draft=draft)).delete()


# ------------------------------------------------------------------- lineages


def assign_lineages(draft: Draft, comp: Comparison | None) -> None:
    """Give each provision of `draft` its lineage from the alignment with the previous
    draft (`comp`), minting new lineages for added provisions."""
    rows = list(draft.provisions.select_related("lineage").order_by("order"))
    by_pk = {r.pk: r for r in rows}
    # A lineage minted for a provision of this very draft stays with it (in the set it
    # carries) even if a re-alignment now matches it to an earlier text, so asks
    # attached to it are never lost.
    own = {r.pk: r.lineage for r in rows if r.lineage and r.lineage.first_draft_id == draft.pk}
    own_carried: dict[int, set[int]] = defaultdict(set)
    for prov_id, lineage_id in ProvisionLineage.objects.filter(
        provision__draft=draft, lineage__first_draft=draft
    ).values_list("provision_id", "lineage_id"):
        own_carried[prov_id].add(lineage_id)
    primary: dict[int, int] = {}
    carried: dict[int, set[int]] = defaultdict(set)
    if comp is not None:
        old_rows = {r.pk: r for r in Provision.objects.filter(draft_id=comp.old_draft_id)}
        old_carried: dict[int, set[int]] = defaultdict(set)
        for prov_id, lineage_id in ProvisionLineage.objects.filter(
            provision__draft_id=comp.old_draft_id
        ).values_list("provision_id", "lineage_id"):
            old_carried[prov_id].add(lineage_id)
        for g in comp.groups.exclude(kind__in=[MatchGroup.Kind.ADDED, MatchGroup.Kind.REMOVED]):
            olds = [old_rows[i] for i in g.old_ids if i in old_rows]
            news = [by_pk[i] for i in g.new_ids if i in by_pk]
            if not olds or not news:
                continue
            inherited = set()
            for o in olds:
                inherited |= old_carried[o.pk]
                if o.lineage_id:
                    inherited.add(o.lineage_id)
            if len(olds) == 1 and len(news) > 1:
                # A split: the part closest to the original keeps its identity.
                best = max(
                    news,
                    key=lambda n: (
                        Indel.normalized_similarity(olds[0].flat_text, n.flat_text),
                        -n.order,
                    ),
                )
            else:
                best = news[0]
            if olds[0].lineage_id:
                primary[best.pk] = olds[0].lineage_id
            for n in news:
                carried[n.pk] |= inherited
    used = set(primary.values())
    for r in rows:
        if r.pk in primary:
            continue
        # The first draft on the timeline keeps whatever identity it had (it may have
        # become first by a change of dates); a later one only keeps its own.
        mine = own.get(r.pk) or (r.lineage if comp is None else None)
        if mine is not None and mine.pk not in used:
            primary[r.pk] = mine.pk
        else:
            primary[r.pk] = Lineage.objects.create(treaty_id=draft.treaty_id, first_draft=draft).pk
        used.add(primary[r.pk])
    changed = []
    for r in rows:
        if r.pk in own:
            carried[r.pk].add(own[r.pk].pk)
        carried[r.pk] |= own_carried[r.pk]
        carried[r.pk].add(primary[r.pk])
        if r.lineage_id != primary[r.pk]:
            r.lineage_id = primary[r.pk]
            changed.append(r)
    Provision.objects.bulk_update(changed, ["lineage"])
    ProvisionLineage.objects.filter(provision__draft=draft).delete()
    ProvisionLineage.objects.bulk_create(
        [
            ProvisionLineage(provision_id=pk, lineage_id=lid)
            for pk, lids in carried.items()
            for lid in sorted(lids)
        ]
    )


def rebuild_from(draft: Draft) -> None:
    """Re-derive alignments with the previous draft, lineages and verdict suggestions for
    `draft` and every later draft (they inherit their identities from it)."""
    timeline = draft.timeline()
    start = next(i for i, d in enumerate(timeline) if d.pk == draft.pk)
    for i in range(start, len(timeline)):
        current = timeline[i]
        previous = timeline[i - 1] if i else None
        comp = comparison(previous, current) if previous else None
        assign_lineages(current, comp)
        if previous is not None:
            suggest_verdicts(previous, current, comp)


def draft_edited(draft: Draft, changed: list[str]) -> None:
    """After a draft's details were saved: if its date moved, so did its place on the
    timeline, and the whole treaty is aligned again."""
    if "date" not in changed:
        return
    with transaction.atomic():
        timeline = draft.treaty.drafts.order_by("date", "pk")
        for each in timeline:
            forget_comparisons(each)
        rebuild_from(timeline.first())


def provision_edited(provision: Provision, changed: list[str]) -> None:
    """After a provision was saved: align its draft again if anything changed."""
    if changed:
        structure_changed(provision.draft)


def structure_changed(draft: Draft) -> None:
    """After an analyst edited a draft's provisions: align again (corrections applied)."""
    with transaction.atomic():
        forget_comparisons(draft)
        rebuild_from(draft)


def save_correction(
    old: Draft, new: Draft, kind: str, old_ids: list[int], new_ids: list[int], user=None, note=""
) -> Correction:
    """Store a correction, drop earlier ones it contradicts, and align again."""
    with transaction.atomic():
        old_set, new_set = set(old_ids), set(new_ids)
        for c in Correction.objects.filter(old_draft=old, new_draft=new):
            overlaps = bool(old_set & set(c.old_ids)) and bool(new_set & set(c.new_ids))
            if (
                kind == Correction.Kind.PIN
                and c.kind == Correction.Kind.PIN
                and (old_set & set(c.old_ids) or new_set & set(c.new_ids))
            ):
                c.delete()  # a provision belongs to one pinned match
            elif overlaps and c.kind != kind:
                c.delete()  # "these match" and "these do not match" cannot both stand
        correction = Correction.objects.create(
            treaty_id=new.treaty_id,
            old_draft=old,
            new_draft=new,
            kind=kind,
            old_ids=sorted(old_set),
            new_ids=sorted(new_set),
            note=note,
            created_by=user if user and user.is_authenticated else None,
        )
        realign(old, new)
    return correction


def realign(old: Draft, new: Draft) -> Comparison:
    """Align a pair again; for consecutive drafts lineages and suggestions follow."""
    with transaction.atomic():
        comp = compute(old, new)
        if new.previous() and new.previous().pk == old.pk:
            rebuild_from(new)
            comp = Comparison.objects.get(old_draft=old, new_draft=new)
    return comp


# ------------------------------------------------------------- structure edits


def merge_with_next(provision: Provision) -> Provision:
    """Join a provision and the one after it (a paragraph the parser cut in two)."""
    with transaction.atomic():
        following = (
            provision.draft.provisions.filter(order__gt=provision.order).order_by("order").first()
        )
        if following is None:
            raise ValueError(_("This is the last provision; there is nothing to merge it with."))
        provision.text = provision.text.rstrip() + "\n" + following.text.lstrip()
        provision.save(update_fields=["text"])
        _drop_from_corrections(following)
        # The joined provision carries everything the removed one carried.
        for lineage_id in ProvisionLineage.objects.filter(provision=following).values_list(
            "lineage_id", flat=True
        ):
            ProvisionLineage.objects.get_or_create(provision=provision, lineage_id=lineage_id)
        if following.lineage_id:
            ProvisionLineage.objects.get_or_create(
                provision=provision, lineage_id=following.lineage_id
            )
        following.delete()
        structure_changed(provision.draft)
    return provision


def split(
    provision: Provision, first_text: str, second_pid: str, second_label: str, second_text: str
) -> Provision:
    """Cut a provision in two (paragraphs the parser ran together)."""
    with transaction.atomic():
        draft = provision.draft
        later = list(draft.provisions.filter(order__gt=provision.order).order_by("-order"))
        for row in later:  # make room right after it
            row.order += 10
        Provision.objects.bulk_update(later, ["order"])
        provision.text = first_text
        provision.save(update_fields=["text"])
        second = Provision.objects.create(
            draft=draft,
            order=provision.order + 5,
            pid=second_pid,
            kind=provision.kind,
            label=second_label,
            article=provision.article,
            article_title=provision.article_title,
            text=second_text,
        )
        structure_changed(draft)
    return second


def _drop_from_corrections(provision: Provision) -> None:
    draft = provision.draft_id
    for c in Correction.objects.filter(Q(old_draft_id=draft) | Q(new_draft_id=draft)):
        if provision.pk in c.old_ids or provision.pk in c.new_ids:
            c.old_ids = [i for i in c.old_ids if i != provision.pk]
            c.new_ids = [i for i in c.new_ids if i != provision.pk]
            if c.old_ids and c.new_ids:
                c.save(update_fields=["old_ids", "new_ids"])
            else:
                c.delete()


# --------------------------------------------------------------------- verdicts


def attached_provisions(drafts, lineage_ids) -> dict[tuple[int, int], list[int]]:
    """{(draft id, lineage id): [provision ids]} for the provisions carrying the lineages."""
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows = (
        ProvisionLineage.objects.filter(
            lineage_id__in=list(lineage_ids),
            provision__draft__in=list(drafts),
        )
        .values_list("provision__draft_id", "lineage_id", "provision_id")
        .order_by("provision__order")
    )
    for draft_id, lineage_id, provision_id in rows:
        found[(draft_id, lineage_id)].append(provision_id)
    return found


def suggest_verdicts(previous: Draft, current: Draft, comp: Comparison) -> None:
    """Carry each ask's verdict from `previous` into `current` if the provisions the ask
    is attached to did not change (renumbering is not a change); otherwise propose it
    for the analyst to confirm, saying what changed. Analysts' own verdicts are kept."""
    asks = list(Ask.objects.filter(treaty_id=current.treaty_id).prefetch_related("attachments"))
    if not asks:
        return
    prev_verdicts = {v.ask_id: v for v in Verdict.objects.filter(draft=previous)}
    cur_verdicts = {v.ask_id: v for v in Verdict.objects.filter(draft=current)}
    lineage_ids = {a.lineage_id for ask in asks for a in ask.attachments.all()}
    carriers = attached_provisions([previous, current], lineage_ids)
    groups = list(comp.groups.all())
    group_of_old = {pk: g for g in groups for pk in g.old_ids}
    group_of_new = {pk: g for g in groups for pk in g.new_ids}
    names = {p.pk: p.name for p in Provision.objects.filter(draft__in=[previous, current])}
    for ask in asks:
        before = prev_verdicts.get(ask.pk)
        now = cur_verdicts.get(ask.pk)
        if before is None or (now is not None and now.origin == Verdict.Origin.ANALYST):
            continue
        lineages = {a.lineage_id for a in ask.attachments.all()}
        olds = sorted({p for lid in lineages for p in carriers.get((previous.pk, lid), [])})
        news = sorted({p for lid in lineages for p in carriers.get((current.pk, lid), [])})
        notes = []
        if not lineages:
            notes.append(
                _("This ask is not attached to any provision, so changes cannot be tracked.")
            )
        for pk in olds:
            g = group_of_old.get(pk)
            if g is None:
                continue
            if g.kind == MatchGroup.Kind.REMOVED:
                notes.append(_("%(name)s was removed.") % {"name": names[pk]})
            elif g.text_changed and g.kind != MatchGroup.Kind.UNCHANGED:
                targets = ", ".join(names[i] for i in g.new_ids)
                notes.append(
                    _("%(name)s was %(kind)s (now %(targets)s).")
                    % {"name": names[pk], "kind": g.get_kind_display(), "targets": targets}
                )
        for pk in news:
            g = group_of_new.get(pk)
            if g is not None and g.kind == MatchGroup.Kind.ADDED:
                notes.append(_("%(name)s was added.") % {"name": names[pk]})
        if lineages and not news:
            notes.append(_("None of the attached provisions is in this draft."))
        if before.origin == Verdict.Origin.SUGGESTED:
            notes.insert(
                0, _("The verdict on “%(label)s” is not confirmed yet.") % {"label": previous.label}
            )
        origin = Verdict.Origin.SUGGESTED if notes else Verdict.Origin.CARRIED
        values = {
            "status": before.status,
            "rationale": before.rationale,
            "texts": before.texts,
            "origin": origin,
            "review_note": "\n".join(dict.fromkeys(notes)),
        }
        if now is None:
            Verdict.objects.create(ask=ask, draft=current, **values)
        elif any(getattr(now, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(now, k, v)
            now.save()


def propagate_verdicts(draft: Draft) -> None:
    """After verdicts on `draft` changed: refresh the carried/suggested ones after it."""
    timeline = draft.timeline()
    start = next(i for i, d in enumerate(timeline) if d.pk == draft.pk)
    for i in range(start + 1, len(timeline)):
        suggest_verdicts(timeline[i - 1], timeline[i], comparison(timeline[i - 1], timeline[i]))


# -------------------------------------------------------------------- publishing


def publish(draft: Draft) -> bool:
    """Publish a draft's breakdown and queue the subscriber alerts. Publishing twice
    (two analysts, a double click) alerts once."""
    with transaction.atomic():
        changed = Draft.objects.filter(pk=draft.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        )
        if changed:
            enqueue(queue_breakdown_alerts, draft.pk)
    draft.refresh_from_db(fields=["published_at"])
    return bool(changed)


def unpublish(draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).update(published_at=None)
    draft.refresh_from_db(fields=["published_at"])
