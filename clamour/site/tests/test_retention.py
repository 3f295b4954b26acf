"""Retention periods: `manage.py prune` (and the worker, hourly) deletes unconfirmed
actions, spent log-in links, old privacy log entries and expired sessions; confirmed
actions and counts are untouched, and a second run deletes nothing more."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clamour.actions.models import Submission
from clamour.site.retention import prune, prune_if_due
from clamour.supporters.accounts import make_login_token
from clamour.supporters.models import Consent, LoginToken, PrivacyLogEntry, Supporter
from clamour.testing.factories import add_target, make_campaign
from clamour.testing.supporters import take_action

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def campaign():
    campaign = make_campaign()
    add_target(campaign)
    return campaign


def age(submission, days):
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - days * DAY)
    Supporter.objects.filter(pk=submission.supporter_id).update(created_at=timezone.now() - days * DAY)


def test_prunes_old_unconfirmed_actions_and_keeps_counts(client, campaign, run_tasks, settings):
    settings.PENDING_RETENTION_DAYS = 30
    settings.CONFIRMATION_MAX_AGE_DAYS = 14
    confirmed_old = take_action(Client(), campaign, run_tasks, email="keep@example.net")
    age(confirmed_old, 400)
    stale = take_action(Client(), campaign, run_tasks, email="stale@example.net", confirm=False)
    age(stale, 31)
    recent = take_action(Client(), campaign, run_tasks, email="recent@example.net", confirm=False)
    age(recent, 29)
    count = campaign.action.submissions.confirmed().count()

    result = prune()

    assert result["unconfirmed_actions"] == 1 and result["supporters_without_actions"] == 1
    assert set(Submission.objects.values_list("email", flat=True)) == {"keep@example.net", "recent@example.net"}
    assert not Supporter.objects.filter(email="stale@example.net").exists()
    assert not Consent.objects.filter(supporter_id=stale.supporter_id).exists()
    assert campaign.action.submissions.confirmed().count() == count
    assert client.get(campaign.get_absolute_url() + "count.json").json()["count"] == count
    assert not any(prune().values())  # idempotent


def test_never_prunes_before_the_confirmation_link_expires(campaign, run_tasks, settings):
    settings.PENDING_RETENTION_DAYS = 1
    settings.CONFIRMATION_MAX_AGE_DAYS = 14
    pending = take_action(Client(), campaign, run_tasks, confirm=False)
    age(pending, 10)
    prune()
    assert Submission.objects.filter(pk=pending.pk).exists()


def test_a_person_with_a_confirmed_action_stays(campaign, run_tasks, settings):
    other = make_campaign("other")
    add_target(other)
    take_action(Client(), campaign, run_tasks, email="both@example.net")
    stale = take_action(Client(), other, run_tasks, email="both@example.net", confirm=False)
    age(stale, 100)
    Supporter.objects.update(created_at=timezone.now() - 100 * DAY)
    prune()
    assert Supporter.objects.filter(email="both@example.net").exists()
    assert Submission.objects.filter(email="both@example.net").count() == 1


def test_prunes_spent_login_links_and_their_tasks(client, settings, run_tasks):
    settings.LOGIN_LINK_RETENTION_DAYS = 2
    sam = Supporter.objects.create(email="sam@example.net", name="Sam")
    make_login_token(sam, now=timezone.now() - 3 * DAY)
    fresh = make_login_token(sam)
    client.post(reverse("supporters:login"), {"email": "typed@example.net"})
    run_tasks()
    task = DBTaskResult.objects.get(task_path="clamour.supporters.accounts.send_login_link")
    assert "typed@example.net" in str(task.args_kwargs)
    DBTaskResult.objects.filter(pk=task.pk).update(finished_at=timezone.now() - 3 * DAY)

    result = prune()

    assert result["login_links"] == 1 and result["login_tasks"] == 1
    assert LoginToken.objects.count() == 1
    assert Client().post(reverse("supporters:login_link", args=[fresh])).status_code == 302
    assert not DBTaskResult.objects.filter(task_path__endswith="send_login_link").exists()


def test_prunes_old_privacy_log(settings):
    settings.PRIVACY_LOG_RETENTION_DAYS = 365
    sam = Supporter.objects.create(email="sam@example.net", name="Sam")
    old = PrivacyLogEntry.objects.create(kind="export", supporter=sam, supporter_number=sam.pk)
    PrivacyLogEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - 366 * DAY)
    PrivacyLogEntry.objects.create(kind="export", supporter=sam, supporter_number=sam.pk)
    assert prune()["privacy_log_entries"] == 1
    assert PrivacyLogEntry.objects.count() == 1


def test_prune_command(campaign, run_tasks):
    stale = take_action(Client(), campaign, run_tasks, confirm=False)
    age(stale, 90)
    out = io.StringIO()
    call_command("prune", stdout=out)
    assert "unconfirmed_actions: 1" in out.getvalue()
    out = io.StringIO()
    call_command("prune", stdout=out)
    assert "unconfirmed_actions: 0" in out.getvalue()


def test_worker_prunes_on_its_schedule(settings, campaign, run_tasks):
    settings.PRUNE_INTERVAL_MINUTES = 60
    stale = take_action(Client(), campaign, run_tasks, confirm=False)
    age(stale, 90)
    assert prune_if_due(last_run=1000.0, now=1000.0 + 59 * 60) == 1000.0  # not due: nothing done
    assert Submission.objects.exists()
    assert prune_if_due(last_run=1000.0, now=1000.0 + 61 * 60) == 1000.0 + 61 * 60
    assert not Submission.objects.exists()


def test_worker_maintenance_loop_calls_prune(monkeypatch):
    from clamour.site.management.commands import worker

    calls = []
    stop = threading.Event()

    def fake_prune_if_due(last):
        calls.append(last)
        stop.set()
        return 1.0

    monkeypatch.setattr(worker, "prune_if_due", fake_prune_if_due)
    monkeypatch.setattr(worker, "requeue_abandoned", lambda **kw: 0)
    worker.run_maintenance(stop, every=0.01)
    assert calls == [None]
