"""The campaigner's journey in a real browser: log in with the second factor, duplicate
the demo campaign, change its letter, preview it for two countries, publish it, take the
action as a supporter in another browser, watch the dashboard move, export the CSV."""

import csv
import re

import pytest

from clamour.actions.models import Submission
from clamour.campaigns.models import Campaign
from clamour.site.demo import load_demo
from clamour.supporters.models import PrivacyLogEntry
from clamour.testing.auth import log_in_staff_in_browser
from clamour.testing.browser import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NEW_LETTER = ("As a supporter in {supporter_country}, I ask you, {target_title}, to stand firm "
              "for a strong Arms Trade Treaty that covers every bullet.")


def test_campaigner_journey(live_server, settings, smtp_settings, task_worker, browser_page,
                            member_of_campaigners):
    settings.SITE_URL = live_server.url
    settings.COUNT_INTERVAL = 1
    load_demo()
    page = browser_page
    log_in_staff_in_browser(page, live_server.url, member_of_campaigners, "a long test password 3")
    page.goto(f"{live_server.url}/campaigns/arms-trade-treaty/")
    # Staff links are in the header of every page.
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Workspace").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Days left to stop the arms trade loopholes").click()
    page.get_by_role("link", name="Duplicate").click()
    page.fill("#id_title", "Write again for a strong treaty")
    page.fill("#id_slug", "write-again")
    page.get_by_role("button", name="Make the copy").click()
    page.wait_for_url(re.compile(r"/staff/campaigns/write-again/edit/"))

    page.fill("#id_action-letter_template", NEW_LETTER)
    preview = page.locator("#letter-preview")
    page.select_option("#id_country", "FR")
    wait_for(lambda: "As a supporter in France, I ask you, Minister for Europe and Foreign Affairs"
             in preview.inner_text(), what="the French preview")
    assert "Dear Camille Exemple," in preview.inner_text()
    page.select_option("#id_country", "DE")
    wait_for(lambda: "As a supporter in Germany, I ask you, Federal Foreign Minister"
             in preview.inner_text(), what="the German preview")
    assert "Dear Jona Beispiel," in preview.inner_text()
    assert "{supporter_country}" not in preview.inner_text()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/edit/\?country=DE"))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/edit/"))
    assert Campaign.objects.get(slug="write-again").status == Campaign.Status.LIVE

    page.get_by_role("link", name="Dashboard").click()
    assert page.locator(".headline-figures dd").first.inner_text() == "0"

    # A supporter, in a browser of their own.
    supporter = page.context.browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    supporter.goto(f"{live_server.url}/campaigns/write-again/?utm_source=browsertest&utm_campaign=journey")
    supporter.fill("#id_name", "Camille Supporter")
    supporter.fill("#id_email", "camille@example.net")
    supporter.select_option("#id_country", "FR")
    body = supporter.locator("#id_body")
    body.fill(body.input_value() + "\n\nI am writing from Lyon and I care about this.")
    supporter.check("#id_consent")
    supporter.click("button[type=submit]")
    supporter.wait_for_url(re.compile(r"/thanks/"))
    supporter.context.close()
    stored = Submission.objects.get(action__campaign__slug="write-again")
    assert (stored.utm_source, stored.utm_campaign) == ("browsertest", "journey")

    page.reload()
    assert page.locator(".headline-figures dd").first.inner_text() == "1"
    assert "France" in page.locator("#countries ~ .table-scroll, section[aria-labelledby=countries]").first.inner_text()
    assert "browsertest" in page.content()

    page.get_by_role("link", name="Export").click()
    page.select_option("#id_kind", "actions")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    with open(download.value.path(), newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["email"], r["country"], r["utm_source"]) for r in rows] == \
        [("camille@example.net", "FR", "browsertest")]
    assert PrivacyLogEntry.objects.filter(kind="export", staff=member_of_campaigners).count() == 1
