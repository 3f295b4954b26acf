"""A campaign's headline, summary and story per language, with its own language as
the fallback, never half of one and half of another, and staff told."""

import re

import pytest
from django.urls import reverse

from clamour.campaigns.models import Campaign
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db

FRENCH = {"title": "Un traité fort", "summary": "Maintenant.", "story": "L'**histoire**."}


def test_each_language_shows_its_own_texts_or_else_the_campaigns_own(
        client, django_assert_num_queries):
    campaign = make_campaign()
    campaign.texts = {"fr": FRENCH, "es": {"title": "Un tratado fuerte", "summary": "",
                                           "story": ""}}
    campaign.save()
    french = client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert '<h1 dir="auto" lang="fr">Un traité fort</h1>' in french
    assert "L'<strong>histoire</strong>." in french and "Campaign att" not in french
    assert '<meta property="og:title" content="Un traité fort">' in french
    # Spanish is incomplete: the whole text stays English, marked as English.
    spanish = client.get(f"/es/campaigns/{campaign.slug}/").content.decode()
    assert '<h1 dir="auto" lang="en">Campaign att</h1>' in spanish
    assert "Un tratado fuerte" not in spanish and "no headline, summary" not in spanish
    with django_assert_num_queries(0):
        again = client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert "Un traité fort" in again
    assert "Un traité fort" in client.get("/fr/").content.decode()
    assert "Campaign att" in client.get("/").content.decode()
    assert campaign.missing_languages() == ["es", "ar"]


def test_staff_are_told_when_a_language_has_no_texts(client, campaigner):
    campaign = make_campaign()
    log_in_staff(client, campaigner)
    page = client.get(f"/ar/campaigns/{campaign.slug}/").content.decode()
    assert "Campaign att" in page and "<p class=\"notice\">" in page
    english = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    listing = client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert "Français, Español, العربية" in listing
    assert english.count('<p class="notice">') == page.count('<p class="notice">') - 1


def test_staff_write_each_language_side_by_side_in_the_admin(client, campaigner):
    campaign = make_campaign()
    log_in_staff(client, campaigner)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = client.get(url).content.decode()
    for code in ("fr", "es", "ar"):
        assert f'name="title_{code}"' in form and f'name="story_{code}"' in form
    assert 'name="title_en"' not in form  # the campaign's own language is the main text
    response = client.post(url, {
        "slug": campaign.slug, "title": campaign.title, "summary": campaign.summary,
        "story": campaign.story, "status": "live", "language": "en",
        "title_fr": FRENCH["title"], "summary_fr": FRENCH["summary"],
        "story_fr": FRENCH["story"], "title_ar": "معاهدة قوية",
        "updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content[:3000]
    campaign.refresh_from_db()
    assert campaign.texts["fr"] == FRENCH
    assert campaign.texts["ar"] == {"title": "معاهدة قوية", "summary": "", "story": ""}
    assert "es" not in campaign.texts
    assert campaign.missing_languages() == ["es", "ar"]


def test_the_confirmation_email_names_the_campaign_in_the_supporters_language(
        client, smtp_settings, run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(texts={"fr": FRENCH})
    client.post(f"/fr/campaigns/{campaign.slug}/act/", letter_post(campaign),
                HTTP_SEC_FETCH_SITE="same-origin")
    run_tasks()
    [message] = smtp_settings.messages
    assert message["Subject"] == "Veuillez confirmer : Un traité fort"


ACTION_FR = {
    "title": "Écrivez à votre gouvernement", "intro": "", "petition_text": "",
    "letter_subject": "Un traité fort, {target_title}",
    "letter_template": "Veuillez défendre un traité fort qui couvre toutes les munitions "
                       "et comprend un vrai critère des droits humains.",
    "consent_wording": "Oui, tenez-moi informé de cette campagne par e-mail.",
}


def test_the_action_is_in_the_pages_language_and_its_consent_recorded_as_shown(client):
    from clamour.actions.models import Submission
    from clamour.supporters.models import Consent

    campaign = make_campaign()
    add_target(campaign)
    campaign.action.texts = {"fr": ACTION_FR, "es": {"title": "Escribe a tu gobierno"}}
    campaign.action.save()
    french = client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert '<h2 id="act-title" dir="auto" lang="fr">Écrivez à votre gouvernement</h2>' in french
    assert "Veuillez défendre un traité fort" in french
    assert "Oui, tenez-moi informé de cette campagne par e-mail." in french
    assert 'value="Un traité fort, Foreign Secretary"' in french
    spanish = client.get(f"/es/campaigns/{campaign.slug}/").content.decode()
    assert 'lang="en">Write to your government</h2>' in spanish  # incomplete: all English

    form = letter_post(campaign, subject="Un traité fort, Foreign Secretary",
                       body=ACTION_FR["letter_template"] + " Merci.")
    form["consent_digest"] = re.search(r'name="consent_digest" value="(\w+)"', french)[1]
    response = client.post(f"/fr/campaigns/{campaign.slug}/act/", form,
                           HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    assert submission.consent_wording == ACTION_FR["consent_wording"]
    assert Consent.objects.get().wording == ACTION_FR["consent_wording"]
    assert submission.body.startswith("Veuillez défendre")


def test_staff_write_the_actions_texts_per_language_in_the_admin(client, campaigner):
    from clamour.actions.models import Action

    campaign = make_campaign()
    action = campaign.action
    log_in_staff(client, campaigner)
    url = reverse("admin:actions_action_change", args=[action.pk])
    page = client.get(url).content.decode()
    assert 'name="letter_template_fr"' in page and 'name="consent_wording_ar"' in page
    data = {
        "campaign": campaign.pk, "kind": action.kind, "title": action.title,
        "intro": action.intro, "letter_subject": action.letter_subject,
        "letter_template": action.letter_template, "targeting": action.targeting,
        "fallback": action.fallback, "petition_text": action.petition_text,
        "goal": action.goal, "deadline_0": action.deadline.strftime("%Y-%m-%d"),
        "deadline_1": action.deadline.strftime("%H:%M:%S"), "require_confirmation": "on",
        "consent_wording": action.consent_wording,
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        **{f"{field}_fr": text for field, text in ACTION_FR.items()},
        "petition_text_fr": "Nous demandons un traité fort.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get()
    assert action.texts["fr"]["letter_template"] == ACTION_FR["letter_template"]
    assert action.missing_languages("en") == ["es", "ar"]
    listing = client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert "Español, العربية" in listing
