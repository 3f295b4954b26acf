"""Letters sent a batch at a time, against a real SMTP server on 127.0.0.1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clamour.actions import delivery
from clamour.actions.models import Delivery, Submission
from clamour.core.speed.smtp import close_idle
from clamour.core.tasks import WAITED_FOR
from clamour.supporters.models import Supporter
from clamour.testing.actions import data, in_threads, store
from clamour.testing.factories import add_target, make_campaign

TARGET = "foreign.secretary@example.org"


def letters(n):
    action = make_campaign(require_confirmation=False).action
    add_target(action.campaign)
    return [s.pk for s in store(action, [data(i) for i in range(n)])]


@pytest.mark.django_db
def test_a_batch_of_letters_costs_a_few_statements_whatever_its_size(smtp_settings, settings):
    ids = letters(45)
    with CaptureQueriesContext(connection) as small:
        assert delivery.deliver_submissions.call(ids[:5]) == "sent: 5"
    with CaptureQueriesContext(connection) as large:
        assert delivery.deliver_submissions.call(ids[5:]) == "sent: 40"
    # 40 letters are two chunks of SEND_CHUNK: one more claim, load and mark.
    assert len(small) <= 10 and len(large) - len(small) <= 6, (len(small), len(large))
    assert len(smtp_settings.to(TARGET)) == 45
    assert smtp_settings.sessions <= settings.EMAIL_SESSIONS  # kept open, one per sender
    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert sent.count() == 45 and not sent.filter(message_id="").exists()
    assert sorted(m["Message-ID"] for m in smtp_settings.messages) == \
        sorted(sent.values_list("message_id", flat=True))


@pytest.mark.django_db
def test_a_batch_goes_out_over_several_sessions_at_once(smtp_settings, settings):
    settings.EMAIL_SESSIONS = 4
    smtp_settings.reply_delay = 0.02  # as a relay 20 ms away: senders overlap
    ids = letters(30)
    assert delivery.deliver_submissions.call(ids[:25]) == "sent: 25"
    assert smtp_settings.most_at_once == 4 and smtp_settings.sessions == 4
    assert len({m["Message-ID"] for m in smtp_settings.to(TARGET)}) == 25
    settings.EMAIL_SESSIONS = 1
    assert delivery.deliver_submissions.call(ids[25:]) == "sent: 5"
    assert smtp_settings.most_at_once == 4 and len(smtp_settings.messages) == 30


@pytest.mark.django_db
def test_one_refused_letter_does_not_hold_up_the_others(smtp_settings):
    ids = letters(4)
    smtp_settings.fail_next("550 5.1.1 No such user here")
    assert delivery.deliver_submissions.call(ids) == "failed: 1, sent: 3"
    assert len(smtp_settings.to(TARGET)) == 3
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["failed", "sent", "sent", "sent"]
    # Run again (a requeued task): nothing more goes out, nothing is created twice.
    assert delivery.deliver_submissions.call(ids) == "nothing to send"
    assert Delivery.objects.count() == 4 and len(smtp_settings.messages) == 3


@pytest.mark.django_db
def test_a_batch_skips_what_is_not_a_letter_to_send(smtp_settings):
    ids = letters(3)
    Supporter.objects.filter(submissions__pk=ids[0]).update(erased_at=timezone.now())
    assert delivery.deliver_submissions.call([*ids, 987654]) == "erased: 1, sent: 2, skipped: 1"
    assert Delivery.objects.count() == 2 and len(smtp_settings.messages) == 2


@pytest.mark.django_db(transaction=True)
def test_workers_running_the_same_batch_at_once_send_each_letter_once(smtp_settings):
    ids = letters(30)
    try:
        outcomes = in_threads(4, lambda _i: delivery.deliver_submissions.call(ids))
    finally:
        close_idle(older_than=0)  # the threads' parked sessions
    assert all(isinstance(outcome, str) for outcome in outcomes), outcomes
    assert len(smtp_settings.to(TARGET)) == 30
    assert len({m["Message-ID"] for m in smtp_settings.messages}) == 30
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 30
    assert Delivery.objects.count() == 30


def pending(n):
    action = make_campaign(require_confirmation=True).action
    add_target(action.campaign)
    return [s.pk for s in store(action, [data(i) for i in range(n)])]


@pytest.mark.django_db
def test_a_batch_of_confirmations_is_one_task_over_kept_sessions(smtp_settings, run_tasks,
                                                                 settings):
    ids = pending(30)
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("send_confirmations") and task.args_kwargs["args"] == [ids]
    assert task.priority == WAITED_FOR
    assert run_tasks() == 1
    assert len(smtp_settings.messages) == 30
    assert smtp_settings.sessions <= settings.EMAIL_SESSIONS
    assert {m["To"] for m in smtp_settings.messages} == {f"person{i}@example.net" for i in range(30)}
    assert not Submission.objects.filter(confirmation_sent_at__isnull=True).exists()
    # Run again: nobody gets a second email.
    assert delivery.send_confirmations.call(ids) == "skipped: 30"


@pytest.mark.django_db
def test_confirmations_refused_or_delayed_do_not_hold_up_the_others(smtp_settings, settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 60
    settings.EMAIL_SESSIONS = 1  # one after another, so which fails is known
    ids = pending(4)
    DBTaskResult.objects.all().delete()
    smtp_settings.fail_next("451 4.3.0 Try later")
    smtp_settings.fail_next("550 5.1.1 No such user here")
    with pytest.raises(delivery.Refused, match=f"{ids[1]}: .*550"):
        delivery.send_confirmations.call(ids)
    assert sorted(m["To"] for m in smtp_settings.messages) == ["person2@example.net",
                                                              "person3@example.net"]
    marked = Submission.objects.filter(confirmation_sent_at__isnull=False)
    assert sorted(marked.values_list("pk", flat=True)) == ids[2:]
    retry = DBTaskResult.objects.get()  # the delayed one only, for later
    assert retry.task_path.endswith("send_confirmation") and retry.args_kwargs["args"] == [ids[0], 2]
