"""Playwright with Debian's Chromium, for the real-browser tests."""

import contextlib
import os
import threading

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextlib.contextmanager
def launched_chromium():
    """Headless Chromium, failing in CI and skipping elsewhere where it is not installed
    (CI installs it, so there it always runs)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page():
    """A fresh page in headless Chromium at phone width."""
    with launched_chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        page = context.new_page()
        yield page
        context.close()


@pytest.fixture
def task_worker(transactional_db):
    """The real task worker, polling in a thread, as in the demo."""
    from django.db import connection

    from clamour.core.tasks import make_worker

    worker = make_worker("browser-test-worker", interval=0.1)

    def run():
        try:
            worker.run()
        finally:
            connection.close()  # this thread's own connection, so the test database can go

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=5)
    connection.close()


def wait_for(check, timeout=15.0, what="condition"):
    """Poll `check()` until it returns something true (and return that), or fail."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


AXE = os.path.join(os.path.dirname(__file__), "axe", "axe.min.js")


def axe_violations(page, rules=None) -> list[dict]:
    """Run the vendored axe-core on the page as it is now; its violations, each as
    {"id", "impact", "nodes": [target selectors]}. `rules` limits the run to those ids."""
    page.add_script_tag(path=AXE)
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                              "best-practice"]}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
