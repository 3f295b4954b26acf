"""The action journey with the keyboard only, in a real browser (Debian Chromium via
Playwright): Tab from the top of the campaign page reaches the form's fields in order,
each with a visible focus ring; a mistake sent with Enter brings the focus to the error
summary, whose link leads to the field the error is tied to; once it is fixed, Enter
sends the letter and the thank-you page follows."""

import re

import pytest

from clamour.actions.models import Submission
from clamour.testing.factories import add_target, make_campaign

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FIELDS = ["id_name", "id_email", "id_country", "id_subject", "id_body", "id_reply_to_ok",
          "id_consent"]

FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
        || s.boxShadow !== 'none';
    return {id: e.id, tag: e.tagName.toLowerCase(), type: e.type || '', ring: ring}; }"""


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_a_supporter_acts_with_the_keyboard_only(live_server, browser_page):
    campaign = make_campaign("arms-trade-treaty")
    add_target(campaign)
    page = browser_page
    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")

    # From the top of the page to the first field: every stop shows where it is.
    stops = []
    while (focused := tab(page))["id"] != FIELDS[0]:
        stops.append(focused)
        assert len(stops) < 60, "Tab never reaches the form"
    assert stops and stops[0]["tag"] == "a"  # the skip link comes first
    assert [s for s in stops if not s["ring"]] == []

    # Through the form in order, filling each field as it comes.
    entries = {"id_name": "Layla Example", "id_email": "layla@example",  # a typo
               "id_subject": None, "id_body": None}
    order = [focused]
    while True:
        assert focused["ring"], f"no visible focus on {focused['id']}"
        if focused["id"] == "id_country":
            page.keyboard.type("Egypt")  # a select's type-ahead
        elif focused["type"] == "checkbox":
            page.keyboard.press("Space")
        elif entries.get(focused["id"]):
            page.keyboard.type(entries[focused["id"]])
        if focused["id"] == "id_consent":
            break
        focused = tab(page)
        order.append(focused)
    assert [f["id"] for f in order] == FIELDS
    assert page.input_value("#id_country") == "EG"
    assert page.is_checked("#id_consent") and page.is_checked("#id_reply_to_ok")
    assert tab(page)["tag"] == "button"  # then the send button

    # Enter on the button sends the form: the error comes back, announced and linked.
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    page.wait_for_function("document.activeElement.id === 'form-errors'")
    assert page.evaluate(FOCUSED)["ring"]
    summary = page.locator("#form-errors").inner_text()
    assert "Your email: Please check your email address" in summary
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    assert "id_email_error" in described
    for id_ in described:
        assert page.locator(f"#{id_}").count() == 1, f"aria-describedby names a missing #{id_}"
    assert "it should look like name@example.org" in page.locator("#id_email_error").inner_text()
    assert page.input_value("#id_name") == "Layla Example"  # kept: no need to type again

    # The summary's link takes the keyboard to the field.
    assert tab(page)["tag"] == "a"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_email'")
    page.keyboard.press("End")
    page.keyboard.type(".net")
    assert page.input_value("#id_email") == "layla@example.net"
    page.keyboard.press("Enter")  # Enter in a field sends the form too
    page.wait_for_url(re.compile(r"/campaigns/arms-trade-treaty/thanks/"))
    assert "check your email" in page.content()
    submission = Submission.objects.get()
    assert (submission.email, submission.supporter.country) == ("layla@example.net", "EG")
