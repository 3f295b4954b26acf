"""Alignment as the analyst sees and corrects it: stored results, lineages across drafts,
corrections that stick, and structure edits."""

from datetime import date

import pytest
from django.urls import reverse

from clamour.testing.treaties import (
    FINAL,
    JULY,
    MARCH,
    add_draft,
    make_treaty,
    provision,
    three_drafts,
)
from clamour.treaties import tracker
from clamour.treaties.models import Comparison, Correction, Draft, MatchGroup, Provision

pytestmark = pytest.mark.django_db


def groups(old, new):
    comparison = Comparison.objects.get(old_draft=old, new_draft=new)
    rows = {p.pk: p.pid for p in Provision.objects.filter(draft__in=[old, new])}
    return {
        (tuple(rows[i] for i in g.old_ids), tuple(rows[i] for i in g.new_ids)): g.kind
        for g in comparison.groups.all()
    }


def test_lineage_follows_renumbering_moves_splits_and_merges():
    treaty = make_treaty()
    july, march, final = three_drafts(treaty)
    found = groups(july, march)
    assert found[(("5.2",), ("26.2",))] == "moved"  # Article 5(2) → Article 26(2)
    assert found[(("5.3",), ("5.2",))] == "moved"  # renumbered
    assert found[(("13.1", "13.2"), ("13.1",))] == "merged"
    assert found[((), ("7.4",))] == "added"
    assert found[(("3",), ("3",))] == "reworded"
    assert groups(march, final)[(("12.3",), ("12.3", "12.4"))] == "split"
    # One identity through all three drafts.
    assert (
        provision(july, "5.2").lineage_id
        == provision(march, "26.2").lineage_id
        == provision(final, "26.2").lineage_id
    )
    # A merge carries both sources; a split's parts both carry the original.
    merged = provision(march, "13.1")
    assert {provision(july, "13.1").lineage_id, provision(july, "13.2").lineage_id} <= set(
        merged.lineages.values_list("pk", flat=True)
    )
    original = provision(march, "12.3").lineage_id
    assert original in provision(final, "12.3").lineages.values_list("pk", flat=True)
    assert original in provision(final, "12.4").lineages.values_list("pk", flat=True)
    # Primary identities are unique within a draft.
    lineages = list(final.provisions.values_list("lineage_id", flat=True))
    assert len(lineages) == len(set(lineages))


def test_alignment_page_shows_kinds_redlines_and_any_other_draft(analyst_client):
    treaty = make_treaty()
    july, march, final = three_drafts(treaty)
    page = analyst_client.get(reverse("treaties:staff_alignment", args=[march.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "moved or renumbered" in html and "merged" in html and "renumbered" in html
    assert "<del>consider whether to</del>" in html and "<ins>not</ins>" in html
    # Any chosen draft: the final text against July, computed once and stored.
    assert not Comparison.objects.filter(old_draft=july, new_draft=final).exists()
    page = analyst_client.get(
        reverse("treaties:staff_alignment", args=[final.pk]) + f"?against={july.pk}"
    )
    assert page.status_code == 200 and "5.2" in page.content.decode()
    assert groups(july, final)[(("5.2",), ("26.2",))] == "moved"
    # Unchanged provisions are listed on request.
    page = analyst_client.get(reverse("treaties:staff_alignment", args=[march.pk]) + "?all=1")
    assert page.content.decode().count('class="kind-unchanged"') == 78
    assert (
        analyst_client.get(
            reverse("treaties:staff_alignment", args=[march.pk]) + "?against=999999"
        ).status_code
        == 404
    )


def correct(client, draft, other, kind, old, new):
    return client.post(
        reverse("treaties:staff_correct", args=[draft.pk]),
        {"against": other.pk, "kind": kind, "old": [p.pk for p in old], "new": [p.pk for p in new]},
    )


def test_forbidding_a_match_realigns_and_sticks_for_later_drafts(analyst_client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    old, new = provision(july, "5.2"), provision(march, "26.2")
    response = correct(analyst_client, march, july, "forbid", [old], [new])
    assert response.status_code == 302
    assert Correction.objects.get().kind == "forbid"
    found = groups(july, march)
    assert found[(("5.2",), ())] == "removed" and found[((), ("26.2",))] == "added"
    assert provision(march, "26.2").lineage_id != old.lineage_id

    # The correction is applied again whenever the pair is aligned again ...
    tracker.structure_changed(march)
    assert groups(july, march)[(("5.2",), ())] == "removed"
    # ... and a later draft inherits the corrected identity.
    final = add_draft(treaty, FINAL, "Final", date(2013, 4, 2))
    assert (
        provision(final, "26.2").lineage_id == provision(march, "26.2").lineage_id != old.lineage_id
    )

    # Pinning puts it back, replacing the forbidden pair; the later draft follows.
    response = correct(analyst_client, march, july, "pin", [old], [new])
    assert response.status_code == 302
    assert list(Correction.objects.values_list("kind", flat=True)) == ["pin"]
    found = groups(july, march)
    assert found[(("5.2",), ("26.2",))] == "moved"
    assert Comparison.objects.get(old_draft=july, new_draft=march).groups.get(
        kind="moved", pinned=True
    )
    assert provision(final, "26.2").lineage_id == old.lineage_id

    # Undo: the correction goes, the aligner's own answer comes back.
    correction = Correction.objects.get()
    response = analyst_client.post(
        reverse("treaties:staff_correction_delete", args=[correction.pk])
    )
    assert response.status_code == 302
    assert not Correction.objects.exists()
    assert groups(july, march)[(("5.2",), ("26.2",))] == "moved"


def test_pinning_a_split_by_hand(analyst_client):
    treaty = make_treaty()
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    final = add_draft(treaty, FINAL, "Final", date(2013, 4, 2))
    pieces = [provision(final, "26.1"), provision(final, "26.2")]
    correct(analyst_client, final, march, "pin", [provision(march, "26.2")], pieces)
    found = groups(march, final)
    assert found[(("26.2",), ("26.1", "26.2"))] == "split"
    assert (("26.1",), ("26.1",)) not in found


def test_bad_corrections_are_refused(analyst_client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    url = reverse("treaties:staff_correct", args=[march.pk])
    assert (
        analyst_client.post(
            url, {"against": july.pk, "kind": "explode", "old": [1], "new": [2]}
        ).status_code
        == 400
    )
    response = analyst_client.post(url, {"against": july.pk, "kind": "pin", "old": [], "new": []})
    assert response.status_code == 302 and not Correction.objects.exists()
    # A provision of another draft is not a valid choice.
    response = correct(
        analyst_client, march, july, "pin", [provision(march, "5.2")], [provision(march, "5.3")]
    )
    assert response.status_code == 302 and not Correction.objects.exists()
    assert analyst_client.get(url).status_code == 405


def test_structure_edits_realign(analyst_client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    p = provision(march, "7.3")
    url = reverse("treaties:staff_provision", args=[p.pk])
    assert analyst_client.get(url).status_code == 200
    data = {
        "pid": "7.3",
        "kind": "paragraph",
        "label": "3",
        "article": "7",
        "article_title": p.article_title,
        "text": p.text + " This sentence was added by hand.",
    }
    assert analyst_client.post(url, data).status_code == 302
    assert (
        "added by hand"
        in Comparison.objects.get(old_draft=july, new_draft=march)
        .groups.get(new_ids=[p.pk])
        .redline_html
    )
    # An id already used in the draft is refused.
    response = analyst_client.post(url, {**data, "pid": "7.2"})
    assert response.status_code == 400 and "already has the id 7.2" in response.content.decode()
    response = analyst_client.post(url, {**data, "text": "   "})
    assert response.status_code == 400

    # Merge 13.1 with 13.2 in March (as if the parser had cut it): the merged text aligns as a merge.
    first, second = provision(march, "13.2"), provision(march, "13.3")
    assert (
        analyst_client.post(reverse("treaties:staff_provision_merge", args=[first.pk])).status_code
        == 302
    )
    assert not Provision.objects.filter(pk=second.pk).exists()
    assert groups(july, march)[(("13.3", "13.4"), ("13.2",))] == "merged"

    # Split it again.
    url = reverse("treaties:staff_provision_split", args=[first.pk])
    assert analyst_client.get(url).status_code == 200
    one, two = provision(march, "13.2").text.split("\n", 1)
    response = analyst_client.post(
        url, {"first_text": one, "second_pid": "13.2", "second_label": "3", "second_text": two}
    )
    assert (
        response.status_code == 400 and "already has a provision 13.2" in response.content.decode()
    )
    response = analyst_client.post(
        url, {"first_text": one, "second_pid": "13.3", "second_label": "3", "second_text": two}
    )
    assert response.status_code == 302
    assert list(march.provisions.filter(article="13").values_list("pid", flat=True)) == [
        "13.1",
        "13.2",
        "13.3",
    ]
    found = groups(july, march)
    assert found[(("13.3",), ("13.2",))] == "moved" and found[(("13.4",), ("13.3",))] == "moved"

    # Merging the last provision is refused politely.
    last = march.provisions.order_by("-order").first()
    response = analyst_client.post(
        reverse("treaties:staff_provision_merge", args=[last.pk]), follow=True
    )
    assert "nothing to merge" in response.content.decode()


def test_structure_page_and_draft_details(analyst_client):
    treaty = make_treaty()
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    page = analyst_client.get(reverse("treaties:staff_draft", args=[march.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Article 7" in html
        and "(b) could be used to:" in html
        and html.count('class="provision"') == 105
    )
    response = analyst_client.post(
        reverse("treaties:staff_draft", args=[march.pk]),
        {"label": "March (revised)", "date": "2013-03-28", "summary": "New."},
    )
    assert response.status_code == 302
    march.refresh_from_db()
    assert march.label == "March (revised)" and march.date == date(2013, 3, 28)


def test_a_draft_dated_between_two_others_takes_its_place_on_the_timeline():
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    final = add_draft(treaty, FINAL, "Final", date(2013, 4, 2))
    assert provision(final, "26.2").lineage_id == provision(july, "5.2").lineage_id
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    assert [d.label for d in march.timeline()] == ["July", "March", "Final"]
    assert Comparison.objects.filter(old_draft=march, new_draft=final).exists()
    assert (
        provision(july, "5.2").lineage_id
        == provision(march, "26.2").lineage_id
        == provision(final, "26.2").lineage_id
    )


def test_moving_a_draft_on_the_timeline_realigns_everything(analyst_client):
    treaty = make_treaty()
    july, march, final = three_drafts(treaty)
    response = analyst_client.post(
        reverse("treaties:staff_draft", args=[july.pk]),
        {"label": "July", "date": "2013-05-01", "summary": ""},
    )
    assert response.status_code == 302
    assert [d.label for d in Draft.objects.get(pk=july.pk).timeline()] == [
        "March 2013",
        "Final",
        "July",
    ]
    assert Comparison.objects.filter(old_draft=final, new_draft=july).exists()
    # Identities survive: March, now first, keeps the lineages it had.
    assert (
        provision(march, "26.2").lineage_id
        == provision(final, "26.2").lineage_id
        == provision(july, "5.2").lineage_id
    )


def test_identical_drafts_align_as_all_unchanged():
    treaty = make_treaty()
    a = add_draft(treaty, FINAL, "A", date(2013, 4, 1))
    b = add_draft(treaty, FINAL, "B", date(2013, 4, 2))
    assert set(groups(a, b).values()) == {MatchGroup.Kind.UNCHANGED}
    assert [p.lineage_id for p in a.provisions.order_by("order")] == [
        p.lineage_id for p in b.provisions.order_by("order")
    ]
