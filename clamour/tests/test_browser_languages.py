"""A supporter whose browser asks for Arabic gets the Arabic page, laid out right to
left, takes part from it and gets the confirmation email in Arabic (Debian Chromium via
Playwright, a real SMTP server). A supporter in France writes from the French page, and
the letter that reaches the French minister's mailbox is in French."""

import re

import pytest

from clamour.supporters.models import Supporter
from clamour.testing.browser import axe_violations
from clamour.testing.factories import add_target, make_campaign

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.parametrize("width", [360, 1280])
def test_an_arabic_browser_gets_the_arabic_page_right_to_left_and_arabic_email(
        live_server, browser_page, smtp_settings, run_tasks, width):
    campaign = make_campaign("arms-trade-treaty")
    add_target(campaign)
    context = browser_page.context.browser.new_context(
        locale="ar-EG", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
        assert page.url == f"{live_server.url}/ar/campaigns/{campaign.slug}/"
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") \
            == ["ar", "rtl"]
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        # Mirrored: the site's name starts at the right-hand edge, the switcher names
        # the current language.
        brand = page.locator(".brand").bounding_box()
        assert brand["x"] + brand["width"] > width * 0.75
        assert page.locator(".languages [aria-current]").inner_text() == "العربية"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width > 1000:  # the form sits beside the story, on the left in Arabic
            form = page.locator("#act").bounding_box()
            story = page.locator(".story").bounding_box()
            assert form["x"] < story["x"]
        assert axe_violations(page, rules=["html-has-lang", "html-lang-valid",
                                           "valid-lang", "label"]) == []

        page.fill("#id_name", "ليلى")
        page.fill("#id_email", f"layla{width}@example.net")
        page.select_option("#id_country", "GB")
        page.check("#id_consent")
        page.click(".action-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/ar/campaigns/arms-trade-treaty/thanks/.*"))
        assert "خطوة أخيرة: تفقّد بريدك الإلكتروني" in page.content()
        assert page.evaluate("document.documentElement.dir") == "rtl"
    finally:
        context.close()

    assert Supporter.objects.get(email=f"layla{width}@example.net").language == "ar"
    run_tasks()
    [message] = smtp_settings.messages
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("مرحبًا ليلى،") and "/ar/confirm/" in body
    assert message["Subject"].strip() == f"يُرجى التأكيد: {campaign.title}"


def test_choosing_france_starts_the_letter_in_french(live_server, browser_page):
    from clamour.testing.actions import country_campaign

    campaign = country_campaign()
    page = browser_page
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    body = page.locator("#id_body")
    assert body.input_value().startswith("Please stand firm")
    page.select_option("#id_country", "FR")
    assert body.input_value() == "Veuillez défendre un traité fort qui couvre toutes les munitions."
    assert page.input_value("#id_subject") == "Un traité fort, Ministre"
    page.select_option("#id_country", "GB")  # untouched: back to the English letter
    assert body.input_value().startswith("Please stand firm")
    assert page.input_value("#id_subject") == "A strong treaty, Foreign Secretary"


def test_a_supporter_in_france_writes_from_the_french_page_and_the_minister_gets_french(
        live_server, browser_page, settings, smtp_settings, run_tasks):
    from clamour.testing.actions import FRENCH_LETTER, country_campaign

    settings.SITE_URL = live_server.url
    campaign = country_campaign()
    context = browser_page.context.browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
        assert page.url == f"{live_server.url}/fr/campaigns/{campaign.slug}/"
        assert page.evaluate("document.documentElement.lang") == "fr"
        page.fill("#id_name", "Camille Martin")
        page.fill("#id_email", "camille@example.fr")
        page.select_option("#id_country", "FR")
        assert page.input_value("#id_body") == FRENCH_LETTER["letter_template"]
        page.locator("#id_body").press("Control+End")
        page.keyboard.type("\n\nJ'écris de Lyon.")
        page.check("#id_consent")
        page.get_by_role("button", name="Envoyer ma lettre").click()
        page.wait_for_url(re.compile(rf".*/fr/campaigns/{campaign.slug}/thanks/.*"))

        run_tasks()
        [confirmation] = smtp_settings.to("camille@example.fr")
        text = confirmation.get_body(("plain",)).get_content()
        assert text.startswith("Bonjour Camille Martin,")
        page.goto(re.search(r"http://\S+/fr/confirm/\S+/", text)[0])
        page.get_by_role("button", name="Confirmer").click()
        page.wait_for_url(re.compile(r".*/fr/campaigns/.*/thanks/.*"))
    finally:
        context.close()

    run_tasks()
    [letter] = smtp_settings.to("fr@example.org")
    assert letter["Subject"].strip() == "Un traité fort, Ministre"
    body = letter.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("À l'attention de Camille Exemple\n\nMadame, Monsieur,\n\n"
                           "Veuillez défendre un traité fort qui couvre toutes les munitions."
                           "\n\nJ'écris de Lyon.")
    assert "Je vous prie d'agréer, Madame, Monsieur," in body and "Camille Martin" in body
    assert smtp_settings.to("foreign.secretary@example.org") == []
