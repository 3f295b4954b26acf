"""A campaigner writes, previews, tests and sends a mailing in a real browser (Debian
Chromium via Playwright) and watches it go out."""

import re

import pytest
from playwright.sync_api import expect

from clamour.mailings.models import Mailing
from clamour.testing.auth import log_in_staff_in_browser
from clamour.testing.browser import wait_for
from clamour.testing.mailings import campaigner_group_member, petition, received, take

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_campaigner_writes_previews_tests_and_sends_to_a_segment(
        live_server, settings, smtp_settings, task_worker, browser_page, django_user_model):
    settings.SITE_URL = live_server.url
    first, second = petition("treaty"), petition("again")
    for name in ["alice", "bruno", "cleo", "dara"]:
        take(first, f"{name}@example.net", country="FR" if name == "dara" else "GB")
    take(second, "cleo@example.net")  # wrote again already
    user = campaigner_group_member(django_user_model)
    page = browser_page
    log_in_staff_in_browser(page, live_server.url, user, "a long test password 9")

    page.goto(f"{live_server.url}/staff/mailings/")
    page.click("text=Write a mailing")
    page.fill("#id_subject", "The new draft is out")
    page.fill("#id_body", "Dear {name},\n\nThe draft got **weaker**. Write again: {link}")
    page.select_option("#id_link_action", str(second.pk))
    page.select_option("#id_action", str(first.pk))
    page.select_option("#id_country", "GB")
    page.select_option("#id_not_action", str(second.pk))
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r"/staff/mailings/\d+/$"))

    # The preview, and how many people it will reach.
    assert page.locator("#preview ~ .mailing-preview strong").inner_text() == "weaker"
    assert page.locator(".audience-count strong").inner_text() == "2"

    page.click("text=Send a test to sender@example.org")
    test = wait_for(lambda: smtp_settings.to("sender@example.org"), timeout=60,
                    what="the test email")
    assert test[0]["Subject"] == "[TEST] The new draft is out"
    assert "A test is on its way" in page.content()

    page.click("text=Send to the audience")
    mailing = Mailing.objects.get()

    # No script: the page refreshes itself (<meta http-equiv="refresh">) while sending.
    bar = page.locator("#mailing-progress")
    expect(bar).to_have_attribute("max", "2", timeout=60_000)
    expect(bar).to_have_attribute("value", "2", timeout=60_000)
    expect(page.locator("h1 + p")).to_contain_text("Sent", timeout=60_000)
    rows = page.locator("table.recipients tbody tr")
    assert rows.count() == 2
    statuses = {rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(1)
                .inner_text() for i in range(2)}
    assert statuses == {"Alice <alice@example.net>": "Sent", "Bruno <bruno@example.net>": "Sent"}
    assert sorted(r for r in received(smtp_settings) if r != "sender@example.org") == [
        "alice@example.net", "bruno@example.net"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
