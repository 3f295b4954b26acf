"""The letter box never shows a campaigner's raw placeholders: what the supporter's
country decides is filled in, the rest shows as words in brackets that are filled per
recipient when the letter is sent. And a country with no target of its own says that
its letter goes to the campaign's main contact."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from clamour.actions.letters import letter_for
from clamour.actions.models import Action, Submission
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db

TEMPLATE = ("As {target_title}, you can speak for the people of {supporter_country}. "
            "Please make sure {target_country} backs a treaty that covers ammunition.")
SUBJECT = "A strong treaty, {target_title}"
FALLBACK_NOTE = ("We have no contact for Egypt in this campaign, so your letter goes to the "
                 "campaign's main contact:")


@pytest.fixture
def campaign():
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY, require_confirmation=False,
                             fallback=Action.Fallback.DEFAULT_TARGET, letter_template=TEMPLATE)
    add_target(campaign, country="GB", is_default=True)
    add_target(campaign, country="FR", name="Camille Exemple", title="Minister",
               email="fr@example.org")
    return campaign


def box(page, name):
    if name == "body":
        found = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
        return html.unescape(found).lstrip("\n")
    return html.unescape(re.search(r'<input type="text" name="subject" value="([^"]*)"', page).group(1))


def test_first_view_shows_words_not_braces(client, campaign):
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "{target_title}" not in page and "{supporter_country}" not in page
    assert box(page, "body").startswith("As [the recipient's title], you can speak for the "
                                        "people of [your country].")
    assert box(page, "subject") == "A strong treaty, [the recipient's title]"


def test_a_country_chosen_by_link_fills_the_letter_in(client, campaign):
    page = client.get(campaign.get_absolute_url(), {"country": "FR"}).content.decode()
    assert box(page, "body").startswith("As Minister, you can speak for the people of France. "
                                        "Please make sure France backs")
    assert box(page, "subject") == "A strong treaty, Minister"
    assert "Camille Exemple" in page and 'class="fallback"' not in page


def test_the_form_sent_back_with_errors_is_filled_in(client, campaign):
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign, name="", country="EG", subject=SUBJECT,
                                       body=letter_for(campaign.action).body))
    assert response.status_code == 400
    page = response.content.decode()
    assert box(page, "body").startswith("As Foreign Secretary, you can speak for the people "
                                        "of Egypt. Please make sure United Kingdom backs")
    assert box(page, "subject") == "A strong treaty, Foreign Secretary"
    assert FALLBACK_NOTE in page


def test_a_country_without_its_own_target_says_it_gets_the_main_contact(client, campaign):
    page = client.get(campaign.get_absolute_url(), {"country": "EG"}).content.decode()
    assert FALLBACK_NOTE in page and "Alex Example" in page
    page = client.get(campaign.get_absolute_url(), {"country": "GB"}).content.decode()
    assert "Alex Example" in page and 'class="fallback"' not in page


def test_words_in_brackets_are_filled_for_each_recipient_when_sent(client, campaign, run_tasks):
    start = letter_for(campaign.action)  # what a visitor without JavaScript sends back
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign, country="FR", subject=start.subject,
                                       body=start.body))
    assert response.status_code == 302
    stored = Submission.objects.get()
    assert stored.body == TEMPLATE and stored.subject == SUBJECT
    run_tasks()
    letter = mail.outbox[-1]
    assert letter.subject == "A strong treaty, Minister"
    assert "As Minister, you can speak for the people of France." in letter.body
    assert "[" not in letter.body


def test_the_staff_preview_function_fills_what_it_is_told():
    campaign = make_campaign("fixed", letter_template=TEMPLATE)
    add_target(campaign, country="GB")
    preview = letter_for(campaign.action, "DE")
    assert preview.body.startswith("As Foreign Secretary, you can speak for the people of "
                                   "Germany. Please make sure United Kingdom backs")
    assert preview.subject == "A strong treaty, Foreign Secretary"
    assert [t.name for t in preview.targets] == ["Alex Example"] and not preview.used_fallback
