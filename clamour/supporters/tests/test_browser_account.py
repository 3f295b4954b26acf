"""Logging in by email link, and exporting then erasing one's data, in a real browser."""

import json
import re

import pytest

from clamour.actions.models import Delivery, Submission
from clamour.actions.submissions import confirm_submission, record_submission
from clamour.supporters.models import PrivacyLogEntry, Supporter
from clamour.testing.browser import wait_for
from clamour.testing.factories import LETTER, add_target, make_campaign

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EMAIL = "camille@example.net"


def camille_wrote_a_letter(smtp):
    campaign = make_campaign("arms-trade-treaty")
    add_target(campaign)
    submission = record_submission(campaign.action, {
        "name": "Camille Supporter", "email": EMAIL, "country": "FR", "subject": "A strong treaty",
        "body": LETTER + "\n\nWritten from Lyon.", "consent": True,
    })
    confirm_submission(submission)
    wait_for(lambda: smtp.to("foreign.secretary@example.org"), what="the letter to be delivered")
    return campaign, submission


def log_in(page, live_server, smtp):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Log in").click()
    page.fill("#id_email", EMAIL)
    page.get_by_role("button", name="Email me a log-in link").click()
    page.wait_for_url(re.compile(r"/account/login/sent/$"))
    assert "If we have an account for that address" in page.content()
    message = wait_for(lambda: [m for m in smtp.to(EMAIL) if "log-in link" in m["Subject"]],
                       what="the log-in email")[-1]
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"http://\S+/account/login/[\w-]+/", message.get_content()).group(0)
    page.goto(link)
    # Opening the link is not logging in: the nav still offers "Log in".
    assert page.get_by_role("link", name="Log in").count() == 1
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/account/$"))


def test_log_in_by_email_link(live_server, settings, smtp_settings, task_worker, browser_page):
    settings.SITE_URL = live_server.url
    camille_wrote_a_letter(smtp_settings)
    page = browser_page

    log_in(page, live_server, smtp_settings)

    assert page.get_by_role("heading", name="My account").is_visible()
    assert f"Logged in as {EMAIL}" in page.content()
    actions = page.locator(".my-action").first.inner_text()
    assert "Campaign arms-trade-treaty" in actions and "delivered" in actions
    assert page.get_by_role("link", name="My account").count() == 1  # in the header
    page.get_by_role("button", name="Log out").first.click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Log in").count() == 1
    page.goto(f"{live_server.url}/account/")
    assert page.url.endswith("/account/login/")


def test_export_then_erase_my_data(live_server, settings, smtp_settings, task_worker, browser_page):
    settings.SITE_URL = live_server.url
    campaign, submission = camille_wrote_a_letter(smtp_settings)
    page = browser_page
    log_in(page, live_server, smtp_settings)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    with open(download.value.path()) as fh:
        data = json.load(fh)
    assert data["supporter"]["email"] == EMAIL
    assert "Written from Lyon." in data["actions"][0]["letter"]
    assert data["actions"][0]["letters"][0]["status"] == "sent"

    page.get_by_role("link", name="Erase my data").click()
    page.wait_for_url(re.compile(r"/account/erase/$"))
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Erase my data for good").click()
    page.wait_for_url(re.compile(r"/account/erased/$"))
    assert page.get_by_role("heading", name="Your data has been erased").is_visible()
    assert page.get_by_role("link", name="Log in").count() == 1

    supporter = Supporter.objects.get(pk=submission.supporter_id)
    assert supporter.erased_at and EMAIL not in supporter.email
    kept = Submission.objects.get(pk=submission.pk)
    assert kept.is_confirmed and "Lyon" not in kept.body
    assert Delivery.objects.get(submission=kept).status == Delivery.Status.SENT
    assert campaign.action.submissions.confirmed().count() == 1
    assert list(PrivacyLogEntry.objects.order_by("created_at").values_list("kind", flat=True)) == \
        ["export", "erase"]
    page.goto(f"{live_server.url}/campaigns/arms-trade-treaty/")
    assert page.locator("[data-count]").inner_text() == "1"
