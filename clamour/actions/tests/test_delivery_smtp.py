"""Letter delivery against a real SMTP server on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clamour.actions import delivery as delivery_module
from clamour.actions.models import Delivery, Submission
from clamour.core.mailretry import retry_delay
from clamour.core.tasks import requeue_abandoned
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db

TARGET = "foreign.secretary@example.org"


@pytest.fixture
def letter(client, smtp_settings):
    """One confirmed letter to one target, its delivery queued but not yet sent."""
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    client.post(reverse("actions:submit", args=[campaign.slug]),
                letter_post(campaign, reply_to_ok="on"))
    return Submission.objects.get()


def test_letter_arrives_once_with_its_headers(letter, run_tasks, smtp_settings):
    run_tasks()
    messages = smtp_settings.to(TARGET)
    assert len(messages) == 1
    message = messages[0]
    assert message["Reply-To"] == "Sam Supporter <sam@example.net>"
    assert message["From"] == "\"Sam Supporter (via Clamour)\" <campaigns@example.org>"
    assert message["Message-ID"].startswith(f"<letter-{letter.pk}-")
    assert "Dear Alex Example," in message.get_content()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert delivery.message_id == message["Message-ID"]


def test_temporary_failure_is_retried_and_delivered_once(letter, run_tasks, smtp_settings):
    smtp_settings.fail_next("451 4.3.0 Mailbox busy, try later", times=2)
    run_tasks()  # with a zero backoff base the retries are due at once
    assert len(smtp_settings.to(TARGET)) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 3


def test_retry_waits_with_backoff(letter, run_tasks, smtp_settings, settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 60
    smtp_settings.fail_next("421 4.7.0 Too many connections")
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.QUEUED
    assert "421" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert smtp_settings.to(TARGET) == []
    # The retry is queued for later, not lost.
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path.endswith("send_delivery")
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert retry_delay(1) == timedelta(seconds=60)
    assert retry_delay(3) == timedelta(seconds=240)
    assert retry_delay(30) == timedelta(seconds=settings.DELIVERY_RETRY_MAX_SECONDS)


def test_gives_up_once_the_retry_window_has_passed(letter, run_tasks, smtp_settings, settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 60
    smtp_settings.fail_next("451 4.3.0 Try later", times=5)
    run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.QUEUED
    Delivery.objects.update(retrying_since=F("retrying_since") - timedelta(
        hours=settings.DELIVERY_RETRY_HOURS))
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
    assert "451" in delivery.last_error


def test_permanent_failure_is_recorded(letter, run_tasks, smtp_settings):
    smtp_settings.fail_next("550 5.1.1 No such user here")
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "550" in delivery.last_error and "No such user" in delivery.last_error
    assert smtp_settings.to(TARGET) == []


def test_staff_can_retry_a_failed_letter(letter, run_tasks, smtp_settings):
    smtp_settings.fail_next("550 5.1.1 No such user here")
    run_tasks()
    assert delivery_module.retry_failed(Delivery.objects.all()) == 1
    run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert len(smtp_settings.to(TARGET)) == 1


def test_task_run_twice_sends_one_email(letter, run_tasks, smtp_settings):
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery_module.send_delivery.call(delivery.pk) == "skipped"
    assert delivery_module.deliver_submission.call(letter.pk) == "nothing to send"
    run_tasks()
    assert len(smtp_settings.to(TARGET)) == 1
    assert Delivery.objects.count() == 1


def test_a_letter_being_sent_is_not_sent_again(letter, smtp_settings):
    """Another worker holds the letter (fresh claim): a second run leaves it alone."""
    delivery = Delivery.objects.create(submission=letter, target=letter.action.targets.get(),
                                       to_name="Alex Example", to_email=TARGET,
                                       status=Delivery.Status.SENDING, claimed_at=timezone.now())
    assert delivery_module.send_delivery.call(delivery.pk) == "skipped"
    assert delivery_module.deliver_submission.call(letter.pk) == "skipped"
    assert smtp_settings.to(TARGET) == []


def test_a_worker_that_died_mid_send_is_recovered(letter, run_tasks, smtp_settings):
    """The worker died while sending: its task stays "running" and the letter "sending".
    After the timeout the task is put back, and the letter goes out once."""
    task = DBTaskResult.objects.ready().get()  # deliver_submission for the letter
    task.claim("dead-worker")
    stale = timezone.now() - delivery_module.SENDING_TIMEOUT - timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=stale)
    Delivery.objects.create(submission=letter, target=letter.action.targets.get(),
                            to_name="Alex Example", to_email=TARGET,
                            status=Delivery.Status.SENDING, claimed_at=stale, attempts=1)
    assert run_tasks() == 0  # stuck as RUNNING: nothing to do until recovery
    assert requeue_abandoned() == 1
    run_tasks()
    assert len(smtp_settings.to(TARGET)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_a_scheduled_retry_is_not_sent_early(letter, run_tasks, smtp_settings, settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 60
    smtp_settings.fail_next("451 4.3.0 Try later")
    run_tasks()
    assert delivery_module.deliver_submission.call(letter.pk) == "nothing to send"
    assert smtp_settings.to(TARGET) == []


def test_confirmation_email_temporary_failure_is_retried(client, run_tasks, smtp_settings):
    campaign = make_campaign()
    add_target(campaign)
    client.post(reverse("actions:submit", args=[campaign.slug]), letter_post(campaign))
    smtp_settings.fail_next("451 4.3.0 Try later")
    run_tasks()
    messages = smtp_settings.to("sam@example.net")
    assert len(messages) == 1 and "/confirm/" in messages[0].get_content()
    assert Submission.objects.get().confirmation_sent_at is not None


def test_a_letter_left_sending_when_its_task_ran_again_early_is_swept_up(letter, run_tasks,
                                                                         smtp_settings):
    """The worker died mid-chunk and its task was run again before the claim went stale:
    the task skips the letter, and the worker's minutely sweep sends it once stale."""
    DBTaskResult.objects.all().delete()
    claimed = timezone.now() - timedelta(minutes=2)
    delivery = Delivery.objects.create(submission=letter, target=letter.action.targets.get(),
                                       to_name="Alex Example", to_email=TARGET, attempts=1,
                                       status=Delivery.Status.SENDING, claimed_at=claimed)
    assert delivery_module.deliver_submission.call(letter.pk) == "skipped"
    assert delivery_module.requeue_stale_deliveries() == 0  # still fresh: leave it be
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - delivery_module.SENDING_TIMEOUT - timedelta(seconds=1))
    assert delivery_module.requeue_stale_deliveries() == 1
    assert delivery_module.requeue_stale_deliveries() == 0  # queued once, not every minute
    assert run_tasks() == 1
    assert len(smtp_settings.to(TARGET)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_how_long_a_task_runs_before_it_counts_as_abandoned_is_a_setting(letter, settings):
    task = DBTaskResult.objects.ready().get()
    task.claim("dead-worker")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=6))
    assert requeue_abandoned() == 0  # ten minutes by default
    settings.TASK_ABANDONED_MINUTES = 5
    assert requeue_abandoned() == 1
    assert DBTaskResult.objects.ready().count() == 1
