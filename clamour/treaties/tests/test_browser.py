"""The analyst's upload → alignment → verdict → publish flow and the public breakdown
page, in a real browser (Debian Chromium via Playwright), with the real task worker
and SMTP server delivering the subscriber alert."""

import re
from datetime import date

import pytest
from django.utils import timezone

from clamour.supporters.models import Supporter
from clamour.testing.auth import log_in_staff_in_browser
from clamour.testing.browser import wait_for
from clamour.testing.factories import make_campaign
from clamour.testing.treaties import JULY, MARCH, add_draft, make_treaty
from clamour.treaties.mail import confirm_subscription
from clamour.treaties.models import Ask, AskAttachment, Draft, Subscription, Verdict

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PASSWORD = "a long test password 9"


def test_analyst_uploads_aligns_judges_publishes_and_the_public_reads_it(
    live_server, settings, smtp_settings, task_worker, browser_page, django_user_model, tmp_path
):
    settings.SITE_URL = live_server.url
    treaty = make_treaty("arms-trade-treaty", campaign=make_campaign("arms-trade-treaty"))
    july = add_draft(treaty, JULY, "Chair's draft, 26 July 2012", date(2012, 7, 26))
    Draft.objects.filter(pk=july.pk).update(
        published_at=timezone.now()
    )  # published before anyone subscribed
    ammunition = Ask.objects.create(
        treaty=treaty, title="All ammunition under the same export criteria", order=1
    )
    AskAttachment.objects.create(ask=ammunition, lineage=july.provisions.get(pid="3").lineage)
    Verdict.objects.create(
        ask=ammunition, draft=july, status="not_met", rationale="Only monitored."
    )
    reader = Supporter.objects.create(email="reader@example.net", name="")
    # A reader who confirmed their subscription from the email (which records consent).
    confirm_subscription(Subscription.objects.create(treaty=treaty, supporter=reader))
    analyst = django_user_model.objects.create_user(
        "analyst", "analyst@example.org", PASSWORD, is_staff=True, is_superuser=True
    )
    page = browser_page
    log_in_staff_in_browser(page, live_server.url, analyst, PASSWORD)

    # A bad file first: a clear message, nothing stored.
    page.goto(f"{live_server.url}/treaties/staff/arms-trade-treaty/upload/")
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    page.fill("#id_label", "Broken")
    page.fill("#id_date", "2013-03-27")
    page.set_input_files("#id_file", str(empty))
    page.get_by_role("button", name="Upload and align").click()
    assert "Please check the form" in page.locator("#form-errors").inner_text()
    assert Draft.objects.count() == 1

    # Upload the new draft.
    source = tmp_path / "march-2013.md"
    source.write_text(MARCH, encoding="utf-8")
    page.fill("#id_label", "Draft decision text, 27 March 2013")
    page.fill("#id_date", "2013-03-27")
    page.set_input_files("#id_file", str(source))
    page.get_by_role("button", name="Upload and align").click()
    page.wait_for_url(re.compile(r"/treaties/staff/drafts/\d+/alignment/$"))
    assert "parsed and aligned in" in page.locator(".messages").inner_text()
    table = page.locator("table.alignment").inner_text()
    assert "moved or renumbered" in table and "merged" in table and "renumbered" in table
    assert page.locator("table.alignment del", has_text="consider whether to").count() == 1

    # The verdict the system suggests (Article 3 changed), confirmed with a new one.
    page.get_by_role("link", name="Verdicts", exact=True).first.click()
    assert "Article 3 was reworded" in page.locator(".verdict-row").first.inner_text()
    page.select_option(f"#id_status_{ammunition.pk}", "partly")
    page.fill(
        f"#id_rationale_{ammunition.pk}", "Article 6 now applies to ammunition, Article 7 does not."
    )
    page.get_by_role("button", name="Save verdicts").click()
    assert "Verdicts saved" in page.locator(".messages").inner_text()

    # Publish; the subscriber is alerted by the worker.
    page.locator(".draft-nav").get_by_role("link", name="Publish").click()
    assert "emails 1 subscriber" in page.content()
    page.get_by_role("button", name="Publish now").click()
    assert "Published" in page.locator(".messages").inner_text()
    alert = wait_for(lambda: smtp_settings.to("reader@example.net"), what="the alert email")
    assert len(alert) == 1
    text = alert[0].get_content()
    assert "Draft decision text, 27 March 2013" in alert[0]["Subject"]
    assert "PARTLY MET" in text and "1 loophole remains." in text
    link = re.search(r"http://\S+/treaties/arms-trade-treaty/drafts/\S+/", text).group(0)

    # The public breakdown, in a fresh browser context (not logged in).
    public = page.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(link)
    assert public.locator("h1").inner_text() == "Draft decision text, 27 March 2013"
    assert "1 loophole remains" in public.locator(".loopholes").first.inner_text()
    assert "Article 6 now applies to ammunition" in public.locator(".verdicts").inner_text()
    assert "What changed since Chair's draft, 26 July 2012" in public.content()
    # Navigable by article: the link jumps to Article 26, where 5(2) moved.
    public.locator(".article-nav").get_by_role("link", name=re.compile(r"^Article 26")).click()
    assert public.url.endswith("#art-26")
    section = public.locator("#art-26")
    assert section.is_visible() and "moved from Article 5(2) and reworded" in section.inner_text()
    assert section.locator("del").count() >= 1
    # The redline is real markup, not escaped text.
    assert public.locator("#art-7 ins", has_text="not").count() >= 1
    # Compare two drafts with the form.
    public.select_option("#id_old", july.slug)
    public.get_by_role("button", name="Compare").click()
    public.wait_for_url(re.compile(r"/compare/\?old="))
    assert (
        "From Chair's draft, 26 July 2012 to Draft decision text, 27 March 2013"
        in public.locator("h1").inner_text()
    )
    # The treaty page shows the scoreboard; the positions page its map.
    public.goto(f"{live_server.url}/treaties/arms-trade-treaty/")
    assert public.locator("table.scoreboard .verdict-partly").count() == 1
    public.context.close()
