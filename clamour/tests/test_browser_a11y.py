"""Accessibility in a real browser (Debian Chromium via Playwright), with the vendored
axe-core: pages fit a 320 px screen, the positions map's links are reachable and
named, focus lands on the error summary after a failed submit, and the letter box is
filled in as soon as a country is chosen."""

import pytest

from clamour.actions.models import Action
from clamour.site.demo import load_demo
from clamour.testing.blog import make_post
from clamour.testing.browser import axe_violations
from clamour.testing.factories import add_target, make_campaign
from clamour.treaties.demo import load_treaty_demo

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BREAKDOWN = "/treaties/arms-trade-treaty/drafts/2013-04-02-final-text-adopted-2-april-2013/"


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def described_ids_exist(page):
    missing = page.evaluate("""() => [...document.querySelectorAll('[aria-describedby]')]
        .flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/))
        .filter(id => id && !document.getElementById(id))""")
    assert missing == [], f"aria-describedby points at missing ids: {missing}"


def test_treaty_pages_fit_320_px_and_pass_axe(live_server, browser_page):
    load_demo()
    load_treaty_demo()
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 700})
    for path in ["/treaties/arms-trade-treaty/", "/treaties/arms-trade-treaty/positions/",
                 "/treaties/arms-trade-treaty/positions/FR/", "/treaties/arms-trade-treaty/positions/EG/",
                 BREAKDOWN, "/treaties/arms-trade-treaty/compare/"]:
        page.goto(live_server.url + path)
        no_sideways_scroll(page)
        assert axe_violations(page) == [], path
    # Breakdown navigation: every label whole, none cut off at the edge.
    page.goto(live_server.url + BREAKDOWN)
    cut = page.evaluate("""() => [...document.querySelectorAll('.article-nav a')]
        .filter(a => a.getBoundingClientRect().right > window.innerWidth).map(a => a.textContent)""")
    assert cut == []


def test_map_links_are_reached_by_keyboard_with_a_visible_ring(live_server, browser_page):
    load_demo()
    load_treaty_demo()
    page = browser_page
    page.goto(live_server.url + "/treaties/arms-trade-treaty/positions/")
    page.focus("#id_ask")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg')"):
            break
    focused = page.evaluate("""() => { const a = document.activeElement;
        const s = getComputedStyle(a.querySelector('path'));
        return {inMap: !!a.closest('svg.world-map'), name: a.getAttribute('aria-label'),
                stroke: s.stroke + ' ' + s.strokeWidth}; }""")
    assert focused["inMap"] and ": " in focused["name"]
    # A thick ring in the focus colour (#1f5fd1), not a thin black line.
    assert focused["stroke"] == "rgb(31, 95, 209) 60px"
    role = page.evaluate("document.querySelector('svg.world-map').getAttribute('role')")
    assert role == "group"


def test_focus_goes_to_the_error_summary_after_a_failed_submit(live_server, browser_page):
    campaign = make_campaign("arms-trade-treaty")
    add_target(campaign)
    post = make_post("news")
    page = browser_page
    forms = [
        (f"/campaigns/{campaign.slug}/", ".action-form button[type=submit]", "form-errors"),
        (post.get_absolute_url(), ".comment-form button[type=submit]", "comment-errors"),
        ("/account/login/", "form button[type=submit]", "form-errors"),
    ]
    for path, button, summary in forms:
        page.goto(live_server.url + path)
        page.click(button)
        page.wait_for_selector(f"#{summary}")
        page.wait_for_function(f"document.activeElement && document.activeElement.id === '{summary}'")
        described_ids_exist(page)
        assert page.evaluate("document.querySelectorAll('[aria-invalid=true]').length") >= 1
        no_sideways_scroll(page)
        assert axe_violations(page, rules=["aria-valid-attr-value", "duplicate-id-aria",
                                           "label", "nested-interactive"]) == [], path
        # The summary's first link takes the person to the field.
        page.click(f"#{summary} a")
        assert page.evaluate("location.hash") != ""


def test_letter_is_filled_in_when_the_country_is_chosen(live_server, browser_page):
    template = ("As {target_title}, you can speak for the people of {supporter_country}. "
                "Please make sure {target_country} backs a treaty that covers ammunition.")
    campaign = make_campaign("arms-trade-treaty", targeting=Action.Targeting.COUNTRY,
                             fallback=Action.Fallback.DEFAULT_TARGET, letter_template=template)
    add_target(campaign, country="GB", is_default=True)
    add_target(campaign, country="FR", name="Camille Exemple", title="Minister",
               email="fr@example.org")
    page = browser_page
    page.goto(f"{live_server.url}/campaigns/arms-trade-treaty/")
    body = page.locator("#id_body")
    assert "{" not in body.input_value() and "[your country]" in body.input_value()

    page.select_option("#id_country", "EG")
    assert body.input_value().startswith(
        "As Foreign Secretary, you can speak for the people of Egypt. "
        "Please make sure United Kingdom backs")
    assert page.input_value("#id_subject") == "A strong treaty, Foreign Secretary"
    who = page.locator("#recipient-by-country").inner_text()
    assert "We have no contact for Egypt in this campaign" in who and "Alex Example" in who

    page.select_option("#id_country", "FR")  # untouched letter: filled again for France
    assert body.input_value().startswith("As Minister, you can speak for the people of France.")
    who = page.locator("#recipient-by-country").inner_text()
    assert "Camille Exemple" in who and "no contact" not in who

    body.fill("My own words to {target_title}, from {supporter_country}.")
    page.select_option("#id_country", "GB")
    assert body.input_value() == "My own words to Foreign Secretary, from United Kingdom."
