"""Every public page the supporter journey and the treaty tracker show, checked with the
vendored axe-core (WCAG 2.0, 2.1 and 2.2 A and AA, best practice) in Debian's Chromium, in
English and Arabic, on a phone (360 px) and a desktop (1280 px): zero violations, and
nothing wider than the screen (down to 320 px, the narrowest phone WCAG reflow asks for).

One browser for the module; each case (language x width) loads the demo once and goes
through the whole list in one tab, so a failure names every page and rule at once."""

from importlib import import_module

import pytest
from django.conf import settings

from clamour.actions.delivery import confirmation_token
from clamour.actions.models import Action
from clamour.actions.submissions import record_submission, thanks_token
from clamour.blog.models import Post
from clamour.site.demo import load_demo
from clamour.supporters.session import SESSION_KEY
from clamour.testing.browser import axe_violations, launched_chromium
from clamour.treaties.demo import load_treaty_demo

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TREATY = "/treaties/arms-trade-treaty/"
BREAKDOWN = TREATY + "drafts/2013-04-02-final-text-adopted-2-april-2013/"

# (name, path or a callable giving it once the demo is loaded)
PAGES = [
    ("home", "/"),
    ("campaign", "/campaigns/arms-trade-treaty/"),
    ("campaign with form errors", "/campaigns/arms-trade-treaty/"),  # submitted empty
    ("thank-you", None),
    ("confirm", None),
    ("blog index", "/blog/"),
    ("a post", None),
    ("treaty index", "/treaties/"),
    ("a breakdown", BREAKDOWN),
    ("compare", TREATY + "compare/"),
    ("positions", TREATY + "positions/"),
    ("a country page", TREATY + "positions/FR/"),
    ("log-in", "/account/login/"),
    ("my account", "/account/"),
]


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium() as browser:
        yield browser


def demo_pages():
    """The demo, plus a supporter who has written (for the thank-you, confirm and
    account pages); the addresses of every page to check, without language prefix."""
    load_demo()
    load_treaty_demo()
    action = Action.objects.get(campaign__slug="arms-trade-treaty")
    submission = record_submission(action, {
        "name": "Layla Example", "email": "layla@example.net", "country": "EG",
        "subject": "A strong treaty", "body": "Please back a strong treaty.", "consent": True,
    })
    post = Post.objects.published().order_by("-published_at").first()
    paths = dict(PAGES)
    paths["thank-you"] = f"/campaigns/arms-trade-treaty/thanks/{thanks_token(submission)}/"
    paths["confirm"] = f"/confirm/{confirmation_token(submission)}/"
    paths["a post"] = post.get_absolute_url()
    return paths, submission.supporter


def supporter_session(supporter) -> str:
    """A session in which `supporter` is logged in, as their log-in link leaves it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = supporter.pk
    store.save()
    return store.session_key


def sideways(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return max(0, page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"])


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_public_page_passes_axe(live_server, chromium, language, width):
    paths, supporter = demo_pages()
    prefix = "" if language == "en" else f"/{language}"
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for name, _ in PAGES:
            if name == "my account":
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                      "value": supporter_session(supporter),
                                      "url": live_server.url}])
            response = page.goto(live_server.url + prefix + paths[name])
            assert response.status == 200, f"{name}: {response.status}"
            assert page.url == live_server.url + prefix + paths[name], f"{name}: sent to {page.url}"
            assert page.evaluate("document.documentElement.lang") == language, name
            if name == "campaign with form errors":
                page.click(".action-form button[type=submit]")
                page.wait_for_selector("#form-errors")
            problems = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                        for v in axe_violations(page)]
            for narrow in ([width, 320] if width < 400 else [width]):
                page.set_viewport_size({"width": narrow, "height": 900})
                if extra := sideways(page):
                    problems.append(f"{extra} px of sideways scroll at {narrow} px")
            page.set_viewport_size({"width": width, "height": 900})
            if problems:
                found[name] = problems
    finally:
        context.close()
    assert found == {}
