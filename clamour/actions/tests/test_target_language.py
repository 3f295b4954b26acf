"""A target's language: the letter a supporter starts from is the action's letter in
it where there is one, and it is greeted and signed in it."""

import re

import pytest

from clamour.testing.actions import FRENCH_LETTER, country_campaign
from clamour.testing.factories import letter_post

pytestmark = pytest.mark.django_db

def test_writing_to_the_french_minister_starts_from_the_french_letter(client):
    campaign = country_campaign()
    to_france = client.get(f"/campaigns/{campaign.slug}/?country=FR").content.decode()
    assert 'value="Un traité fort, Ministre"' in to_france
    assert "Veuillez défendre un traité fort" in to_france
    # The page itself stays English, and so does the letter to the British minister.
    assert '<html lang="en"' in to_france and "Send my letter" in to_france
    to_britain = client.get(f"/campaigns/{campaign.slug}/?country=GB").content.decode()
    assert "Veuillez défendre" not in to_britain and "Please stand firm" in to_britain
    # The page script gets the French letter for recipients whose language is French.
    start = re.search(r'<script id="letter-start" type="application/json">(.*?)</script>',
                      to_britain, re.S)[1]
    assert '"letters": {"fr": {"subject": "Un trait' in start
    assert '"language": "fr"' in to_britain


def test_the_letter_to_a_french_target_is_greeted_in_french(client, smtp_settings, run_tasks):
    campaign = country_campaign()
    client.post(f"/campaigns/{campaign.slug}/act/", letter_post(
        campaign, country="FR", subject="Un traité fort, Ministre",
        body=FRENCH_LETTER["letter_template"] + " Merci."), HTTP_SEC_FETCH_SITE="same-origin")
    run_tasks()
    link = re.search(r"https?://[^/\s]+(/confirm/\S+/)",
                     smtp_settings.messages[0].get_body(("plain",)).get_content())[1]
    client.post(link)
    run_tasks()
    [letter] = [m for m in smtp_settings.messages if "fr@example.org" in m["To"]]
    body = letter.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("À l'attention de Camille Exemple\n\nMadame, Monsieur,")
    assert "l'expression de ma haute considération.\nSam Supporter" in body
    # The confirmation email itself is in the supporter's language: English.
    assert smtp_settings.messages[0]["Subject"].startswith("Please confirm")
