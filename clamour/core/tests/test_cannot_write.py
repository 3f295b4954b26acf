"""When nothing can be written (the disk is full, the database is down): a 503 that says
nothing was recorded, a /healthz that says so, and no task worker restarted in a loop."""

import sys

import pytest
from django.db import connection
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.core import health
from clamour.site.management.commands.serve import Restarting
from clamour.testing.factories import add_target, letter_post, make_campaign


@pytest.fixture(autouse=True)
def _no_failure_left():
    health.note_write_success()
    yield
    health.note_write_success()


@pytest.fixture
def full_disk():
    """The database cannot grow: SQLite's max_page_count at its current size is what
    SQLite does when the disk is full (SQLITE_FULL, "database or disk is full")."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 4294967294")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page limit")
def test_a_full_disk_is_a_503_that_records_nothing_and_healthz_says_so(client, full_disk):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    before = Submission.objects.count()
    assert client.get(reverse("core:healthz")).status_code == 200
    # A long letter: more than the free room left in the database's pages.
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign, body="We ask you to act now. " * 400))
    assert response.status_code == 503
    assert b"Nothing was recorded" in response.content
    assert response["Retry-After"]
    assert Submission.objects.count() == before
    health_response = client.get(reverse("core:healthz"))
    assert health_response.status_code == 503
    assert "writes are failing" in health_response.json()["writes"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_disk_is_nearly_full(client, settings):
    assert client.get(reverse("core:healthz")).status_code == 200
    settings.HEALTH_MIN_FREE_BYTES = 1 << 62  # more than any disk has free
    response = client.get(reverse("core:healthz"))
    if connection.vendor == "sqlite":
        assert response.status_code == 503 and "free" in response.json()["writes"]
    else:  # the database's disk is on its own server: only failed writes tell
        assert response.status_code == 200


def test_a_worker_that_keeps_stopping_is_restarted_after_growing_pauses():
    worker = Restarting([sys.executable, "-c", "raise SystemExit(3)"], now=0.0)
    first = worker.process
    first.wait(30)
    assert worker.check(0.5) == "A task worker stopped (exit 3); restarting it in 1 s."
    assert worker.check(1.0) is None and worker.process is first  # still pausing
    assert worker.check(1.5) is None and worker.process is not first  # started again
    worker.process.wait(30)
    assert worker.check(2.0).endswith("restarting it in 2 s.")
    worker.check(4.0)
    worker.process.wait(30)
    assert worker.check(4.5).endswith("restarting it in 4 s.")
    # One that ran for a minute before stopping is started again at once.
    worker.check(8.5)
    worker.process.wait(30)
    assert worker.check(8.5 + 61).endswith("restarting it in 0 s.")
