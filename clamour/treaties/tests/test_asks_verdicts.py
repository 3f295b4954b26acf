"""Asks, attachments that follow provisions across drafts, verdicts and the system's
suggestions when attached text changes."""

from datetime import date

import pytest
from django.urls import reverse

from clamour.testing.treaties import FINAL, JULY, MARCH, add_draft, make_treaty, provision
from clamour.treaties.models import Ask, AskAttachment, Verdict

pytestmark = pytest.mark.django_db

# July 2012 without its defence-cooperation paragraph (Article 5(2)).
JULY_WITHOUT_DEFENCE = JULY.replace(
    "2. This Treaty shall not be cited as grounds for voiding contractual obligations under defence cooperation "
    "agreements concluded between States Parties to this Treaty, and transfers made under such agreements shall "
    "not be subject to Article 7.\n\n",
    "",
)


def attach(client, ask, draft, pid):
    return client.post(
        reverse("treaties:staff_attach", args=[ask.pk]),
        {"draft": draft.pk, "provision": provision(draft, pid).pk},
    )


def set_verdicts(client, draft, values):
    data = {}
    for ask, (status, rationale) in values.items():
        data[f"status_{ask.pk}"] = status
        data[f"rationale_{ask.pk}"] = rationale
    return client.post(reverse("treaties:staff_verdicts", args=[draft.pk]), data)


def test_define_attach_and_follow_an_ask_through_drafts(analyst_client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    response = analyst_client.post(
        reverse("treaties:staff_asks", args=[treaty.slug]),
        {"title": "No exemption for defence-cooperation agreements", "description": "", "order": 1},
    )
    assert response.status_code == 302
    ask = Ask.objects.get()
    assert attach(analyst_client, ask, july, "5.2").status_code == 302
    attach(analyst_client, ask, july, "5.2")  # twice is once
    assert AskAttachment.objects.count() == 1
    add_draft(treaty, MARCH, "March", date(2013, 3, 27))
    page = analyst_client.get(reverse("treaties:staff_ask", args=[ask.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and ">26.2</code>" in html and ">5.2</code>" in html
    assert 'class="flagged"' not in html
    # The asks list shows where it sits in the newest draft.
    assert (
        ">26.2</code>"
        in analyst_client.get(reverse("treaties:staff_asks", args=[treaty.slug])).content.decode()
    )


def test_an_attachment_whose_text_is_gone_is_flagged_not_lost(analyst_client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    ask = Ask.objects.create(treaty=treaty, title="No exemption for defence-cooperation agreements")
    attach(analyst_client, ask, july, "5.2")
    # A later draft drops the paragraph entirely.
    add_draft(treaty, JULY_WITHOUT_DEFENCE, "July bis", date(2012, 7, 27))
    attachment = AskAttachment.objects.get()
    page = analyst_client.get(reverse("treaties:staff_treaty", args=[treaty.slug])).content.decode()
    assert "Attachments to review" in page
    page = analyst_client.get(reverse("treaties:staff_ask", args=[ask.pk])).content.decode()
    assert "the attached text is gone from the newest draft" in page
    # Still there, still pointing at July's 5.2.
    assert ">5.2</code>" in page
    response = analyst_client.post(
        reverse("treaties:staff_attachment_reviewed", args=[attachment.pk])
    )
    assert response.status_code == 302
    page = analyst_client.get(reverse("treaties:staff_treaty", args=[treaty.slug])).content.decode()
    assert "Attachments to review" not in page
    # Detaching is explicit.
    assert (
        analyst_client.post(reverse("treaties:staff_detach", args=[attachment.pk])).status_code
        == 302
    )
    assert not AskAttachment.objects.exists()


def test_verdicts_are_carried_or_suggested_and_confirmed(analyst_client, client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26), published=True)
    ammunition = Ask.objects.create(treaty=treaty, title="All ammunition", order=1)
    small_arms = Ask.objects.create(treaty=treaty, title="Small arms in scope", order=2)
    unattached = Ask.objects.create(treaty=treaty, title="Something vague", order=3)
    attach(analyst_client, ammunition, july, "3")
    attach(analyst_client, small_arms, july, "2.1")
    response = set_verdicts(
        analyst_client,
        july,
        {
            ammunition: ("not_met", "Only monitored."),
            small_arms: ("met", "In scope."),
            unattached: ("partly", "Hard to say."),
        },
    )
    assert response.status_code == 302
    assert Verdict.objects.filter(draft=july, origin="analyst").count() == 3

    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27), published=True)
    verdicts = {v.ask_id: v for v in Verdict.objects.filter(draft=march)}
    # Article 2(1) did not change: carried over, public at once.
    assert verdicts[small_arms.pk].origin == "carried" and verdicts[small_arms.pk].status == "met"
    # Article 3 was reworded: the old verdict is proposed, with the reason, for confirmation.
    assert (
        verdicts[ammunition.pk].origin == "suggested"
        and verdicts[ammunition.pk].status == "not_met"
    )
    assert "Article 3 was reworded" in verdicts[ammunition.pk].review_note
    assert "not attached" in verdicts[unattached.pk].review_note

    # The public sees "under review", not the stale verdict.
    page = client.get(
        reverse("treaties:breakdown", args=[treaty.slug, march.slug])
    ).content.decode()
    assert "Under review" in page and "Only monitored." not in page

    # The analyst confirms with a new verdict; the suggestion is gone.
    page = analyst_client.get(reverse("treaties:staff_verdicts", args=[march.pk])).content.decode()
    assert "Please confirm" in page and "Article 3 was reworded" in page
    response = set_verdicts(
        analyst_client,
        march,
        {
            ammunition: ("partly", "Article 6 now applies to ammunition."),
            small_arms: ("met", "In scope."),
            unattached: ("partly", "Still vague."),
        },
    )
    assert response.status_code == 302
    assert not Verdict.objects.filter(origin="suggested").exists()
    page = client.get(
        reverse("treaties:breakdown", args=[treaty.slug, march.slug])
    ).content.decode()
    assert "Article 6 now applies to ammunition." in page and "Was “Not met” in July." in page

    # The final text changes Article 3 again, and not Article 2(1).
    final = add_draft(treaty, FINAL, "Final", date(2013, 4, 2))
    verdicts = {v.ask_id: v for v in Verdict.objects.filter(draft=final)}
    assert verdicts[ammunition.pk].origin == "suggested"
    assert verdicts[small_arms.pk].origin == "carried"

    # Changing an earlier verdict refreshes what was carried from it.
    set_verdicts(
        analyst_client,
        march,
        {
            ammunition: ("partly", "Article 6 now applies to ammunition."),
            small_arms: ("partly", "Changed my mind."),
            unattached: ("partly", "Still vague."),
        },
    )
    assert Verdict.objects.get(draft=final, ask=small_arms).rationale == "Changed my mind."
    # Clearing a verdict deletes it.
    set_verdicts(
        analyst_client, final, {ammunition: ("", ""), small_arms: ("met", ""), unattached: ("", "")}
    )
    assert not Verdict.objects.filter(draft=final, ask=ammunition).exists()


def test_a_rationale_needs_a_verdict(analyst_client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    ask = Ask.objects.create(treaty=treaty, title="All ammunition")
    response = set_verdicts(analyst_client, july, {ask: ("", "A reason without a verdict")})
    assert response.status_code == 400 and "Choose a verdict" in response.content.decode()
    response = set_verdicts(analyst_client, july, {ask: ("maybe", "")})
    assert response.status_code == 400
    assert not Verdict.objects.exists()


def test_renumbering_alone_is_not_a_change():
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26))
    ask = Ask.objects.create(treaty=treaty, title="National control list")
    AskAttachment.objects.create(ask=ask, lineage=provision(july, "5.3").lineage)
    Verdict.objects.create(ask=ask, draft=july, status="met", rationale="Fine.")
    march = add_draft(treaty, MARCH, "March", date(2013, 3, 27))  # 5.3 → 5.2, same words
    assert Verdict.objects.get(draft=march).origin == "carried"
