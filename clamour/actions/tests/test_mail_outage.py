"""A mail relay down for hours delays confirmations and letters but loses none: they
are retried with backoff for DELIVERY_RETRY_HOURS, staff see the backlog, and a
supporter can have their confirmation email sent again."""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clamour.actions.models import Delivery, Submission
from clamour.testing.factories import add_target, letter_post, make_campaign
from clamour.testing.smtp import _free_port

pytestmark = pytest.mark.django_db

TARGET = "foreign.secretary@example.org"


def time_passes(hours):
    """Move every clock the retries read back by `hours`, and make due what is queued."""
    Submission.objects.update(created_at=F("created_at") - timedelta(hours=hours))
    Delivery.objects.filter(retrying_since__isnull=False).update(
        retrying_since=F("retrying_since") - timedelta(hours=hours))
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.fixture
def outage(settings, smtp_settings):
    """The relay is down (nothing listens on its port) until `outage.end()`."""
    settings.DELIVERY_RETRY_BASE_SECONDS = 30
    settings.EMAIL_PORT = _free_port()

    class Outage:
        def end(self):
            settings.EMAIL_PORT = smtp_settings.port

    return Outage()


@pytest.fixture
def waiting(client, run_tasks, outage):
    """Sam's letter (to be delivered) and Pat's action (to be confirmed), both stored
    while the relay is down."""
    letter = make_campaign("att", require_confirmation=False)
    add_target(letter)
    petition = make_campaign("ammo", kind="petition")
    client.post(reverse("actions:submit", args=[letter.slug]), letter_post(letter))
    response = client.post(reverse("actions:submit", args=[petition.slug]),
                           letter_post(petition, email="pat@example.net"))
    run_tasks()
    return response["Location"]


def test_a_day_long_outage_delays_mail_but_loses_none(waiting, run_tasks, outage,
                                                      smtp_settings, campaigner_client):
    for _hour in range(30):
        time_passes(hours=1)
        run_tasks()
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.QUEUED and delivery.last_error
        pending = Submission.objects.get(email="pat@example.net")
        assert pending.confirmation_sent_at is None and pending.confirmation_error
    # Backoff: the tries are spread out, never more than the longest wait apart.
    assert 8 <= delivery.attempts <= 40
    assert delivery.next_attempt_at <= timezone.now() + timedelta(minutes=30)

    # The backlog is there for staff to see.
    assert list(Delivery.objects.waiting_to_retry()) == [delivery]
    assert list(Delivery.objects.backlog()) == [delivery]
    assert list(Submission.objects.confirmation_backlog()) == [pending]
    page = campaigner_client.get("/admin/actions/delivery/?backlog=retrying").content.decode()
    assert TARGET in page and "Waiting to retry" in page
    page = campaigner_client.get("/admin/actions/submission/?confirmation=unsent").content.decode()
    assert "pat@example.net" in page and "sam@example.net" not in page

    outage.end()
    time_passes(hours=1)
    run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert len(smtp_settings.to(TARGET)) == 1
    [confirmation] = smtp_settings.to("pat@example.net")
    assert "/confirm/" in confirmation.get_content()
    assert not Delivery.objects.backlog().exists()
    assert not Submission.objects.confirmation_backlog().exists()
    assert Submission.objects.get(email="pat@example.net").confirmation_error == ""


def test_after_the_window_the_supporter_can_ask_again(waiting, run_tasks, outage,
                                                      smtp_settings, settings):
    time_passes(hours=settings.DELIVERY_RETRY_HOURS)
    run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.FAILED
    assert Submission.objects.get(email="pat@example.net").confirmation_error

    outage.end()
    browser = Client()
    assert browser.post(waiting + "resend/").status_code == 302
    run_tasks()
    [confirmation] = smtp_settings.to("pat@example.net")
    link = re.search(r"https?://\S+?(/confirm/\S+/)", confirmation.get_content()).group(1)
    browser.post(link)
    assert Submission.objects.get(email="pat@example.net").is_confirmed
