"""The live counter and countdown on the campaign page, in a real browser (Debian
Chromium via Playwright): as the count.json figure changes, the words after it take the
plural form the page's language uses for that number (Arabic has six: zero, one, two,
few, many, other), from the catalogue, with the number written as the server writes it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from clamour.actions.models import Action, Submission
from clamour.supporters.models import Supporter
from clamour.testing.browser import wait_for
from clamour.testing.factories import make_campaign

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ARABIC = {0: "توقيع", 1: "توقيع", 2: "توقيعان", 3: "توقيعات", 11: "توقيعًا", 100: "توقيع"}


def set_count(action, count):
    """Exactly `count` confirmed signatures on the petition."""
    Submission.objects.filter(action=action).delete()
    supporters = Supporter.objects.bulk_create(
        [Supporter(email=f"s{n}@example.net", name=f"S {n}", country="EG") for n in range(count)],
        ignore_conflicts=True)
    supporters = Supporter.objects.filter(email__in=[s.email for s in supporters])
    Submission.objects.bulk_create([Submission(
        action=action, supporter=s, name=s.name, email=s.email, country="EG",
        consent_wording="", status=Submission.Status.CONFIRMED, confirmed_at=timezone.now(),
    ) for s in supporters])


def shown(page) -> str:
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # refresh now
    return page.locator(".tally .count").inner_text()


def test_the_live_counter_says_each_number_in_the_pages_own_plural(
        live_server, browser_page, settings):
    settings.COUNT_INTERVAL = 0  # count.json is fetched afresh each time, recounted each second
    campaign = make_campaign("arms-trade-treaty", kind=Action.Kind.PETITION)
    set_count(campaign.action, 7)
    pages = {}
    for language in ("ar", "fr", "es"):
        pages[language] = browser_page.context.new_page()
        pages[language].goto(f"{live_server.url}/{language}/campaigns/{campaign.slug}/")
    assert pages["ar"].locator(".tally .count").inner_text() == "7 توقيعات"

    for count in (0, 1, 2, 3, 11, 100, 1234):
        set_count(campaign.action, count)
        for language, page in pages.items():
            with translation.override(language):
                words = ngettext("signature", "signatures", count)
            number = {"ar": "1,234", "fr": "1\xa0234", "es": "1\xa0234"}[language] \
                if count == 1234 else str(count)
            wait_for(lambda page=page, expected=f"{number} {words}": shown(page) == expected,
                     timeout=10, what=f"{language}: {number} {words}")
        if count in ARABIC:
            assert shown(pages["ar"]) == f"{count} {ARABIC[count]}"
    # French says one for 0 and 1, Spanish only for 1.
    assert pages["fr"].evaluate("new Intl.PluralRules('fr').select(0)") == "one"
    set_count(campaign.action, 0)
    wait_for(lambda: shown(pages["fr"]) == "0 signature", timeout=10, what="0 signature")
    wait_for(lambda: shown(pages["es"]) == "0 firmas", timeout=10, what="0 firmas")


def test_the_countdown_keeps_the_arabic_plural(live_server, browser_page):
    campaign = make_campaign("arms-trade-treaty", deadline_in=timedelta(hours=2, minutes=30))
    page = browser_page
    page.clock.install()  # the page's own clock, moved on by the test
    page.goto(f"{live_server.url}/ar/campaigns/{campaign.slug}/")
    countdown = page.locator("[data-countdown]")
    assert countdown.inner_text() == "باقيتان ساعتان"  # two hours, from the server
    page.clock.run_for(60 * 60 * 1000)  # an hour on: the script's own words
    assert countdown.inner_text() == "باقية ساعة واحدة"
    page.clock.run_for(50 * 60 * 1000)
    assert re.fullmatch(r"باقية (39|40) دقيقة", countdown.inner_text())
    page.clock.run_for(33 * 60 * 1000)
    assert re.fullmatch(r"باقية (6|7) دقائق", countdown.inner_text())
