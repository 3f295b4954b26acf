"""The whole supporter journey in a real browser (Debian Chromium via Playwright)."""

import re

import pytest

from clamour.actions.models import Action, Submission
from clamour.testing.browser import wait_for
from clamour.testing.factories import add_target, make_campaign

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_supporter_writes_confirms_is_counted_and_letter_arrives(
    live_server, settings, smtp_settings, task_worker, browser_page
):
    settings.SITE_URL = live_server.url
    settings.COUNT_INTERVAL = 1
    campaign = make_campaign("arms-trade-treaty", targeting=Action.Targeting.COUNTRY)
    add_target(campaign, country="GB")
    add_target(campaign, country="FR", name="Camille Exemple", title="Minister",
               email="fr.minister@example.org")
    page = browser_page

    page.goto(f"{live_server.url}/campaigns/arms-trade-treaty/")
    assert page.locator("[data-count]").inner_text() == "0"
    page.fill("#id_name", "Camille Supporter")
    page.fill("#id_email", "camille@example.net")
    page.select_option("#id_country", "FR")
    # The page shows who the letter goes to once the country is chosen.
    assert "Camille Exemple" in page.locator("#recipient-by-country").inner_text()
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\nI am writing from Lyon and I care about this.")
    page.check("#id_consent")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/thanks/"))
    assert "check your email" in page.content()

    confirmation = wait_for(lambda: smtp_settings.to("camille@example.net"), what="confirmation email")
    link = re.search(r"http://\S+/confirm/\S+", confirmation[0].get_content()).group(0)
    page.goto(link)
    assert Submission.objects.get().status == Submission.Status.PENDING  # opening is not confirming
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/thanks/"))
    assert "Your letter is on its way" in page.content()

    page.goto(f"{live_server.url}/campaigns/arms-trade-treaty/")
    wait_for(lambda: page.locator("[data-count]").inner_text() == "1" or page.reload() and False,
             what="the counter to show 1")

    letters = wait_for(lambda: smtp_settings.to("fr.minister@example.org"), what="the letter")
    assert len(letters) == 1
    text = letters[0].get_content()
    assert text.startswith("Dear Camille Exemple,")
    assert "I am writing from Lyon" in text
    assert smtp_settings.to("foreign.secretary@example.org") == []
