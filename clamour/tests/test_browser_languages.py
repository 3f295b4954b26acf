"""A supporter whose browser asks for Arabic gets the Arabic page, laid out right to
left, takes part from it and gets the confirmation email in Arabic (Debian Chromium via
Playwright, a real SMTP server)."""

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
