"""Staff log in through the real pages: password, then set up the app, then a code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from clamour.testing.auth import log_in_staff_in_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_first_log_in_sets_up_the_app_and_reaches_the_admin(live_server, campaigner, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "campaigner")
    page.fill("#id_password", "a long test password 1")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/staff/setup/"))
    assert page.locator(".qr svg").is_visible()
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    page.fill("#id_code", f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Finish set-up").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Site administration" in page.content()


def test_helper_logs_staff_in_with_a_code(live_server, moderator, browser_page):
    log_in_staff_in_browser(browser_page, live_server.url, moderator, "a long test password 2")
    assert browser_page.url == f"{live_server.url}/admin/"
