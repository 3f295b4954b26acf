"""Many submissions stored by one call, as the group-commit writer does during a spike."""

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from clamour.actions.models import Delivery, Submission
from clamour.actions.submissions import AlreadyTookPart, record_submission
from clamour.core.speed import groupcommit
from clamour.supporters.models import Consent, Supporter
from clamour.testing.actions import data, store
from clamour.testing.factories import add_target, make_campaign

pytestmark = pytest.mark.django_db


def statements(action, batch):
    with CaptureQueriesContext(connection) as queries:
        store(action, batch)
    return len(queries)


def test_a_batch_costs_the_same_statements_whatever_its_size():
    action = make_campaign(require_confirmation=False).action
    add_target(action.campaign)
    small = statements(action, [data(n) for n in range(3)])
    # (Up to SQLite's cap on parameters per statement, which splits far larger batches.)
    large = statements(action, [data(n) for n in range(100, 140)])
    assert small == large <= 8
    assert Submission.objects.filter(action=action).count() == 43


def test_a_batch_stores_each_person_with_consent_and_queued_work(run_tasks):
    action = make_campaign(require_confirmation=False).action
    add_target(action.campaign)
    Supporter.objects.create(email="person1@example.net", name="Known Before")
    results = store(action, [data(n) for n in range(4)])

    assert [type(r) for r in results] == [Submission] * 4
    assert [r.email for r in results] == [f"person{n}@example.net" for n in range(4)]
    stored = Submission.objects.get(pk=results[1].pk)
    assert stored.status == Submission.Status.CONFIRMED and stored.confirmed_at is not None
    assert stored.supporter.name == "Known Before"  # an existing person is reused, not renamed
    assert Supporter.objects.count() == 4
    consents = Consent.objects.filter(source=f"action:{action.pk}")
    assert sorted(c.given for c in consents) == [False, False, True, True]
    assert {c.wording for c in consents} == {action.consent_wording}
    # One task sends the batch's letters, in the same transaction as the rows.
    task = DBTaskResult.objects.get(task_path__endswith="deliver_submissions")
    assert task.args_kwargs["args"] == [[r.pk for r in results]]

    assert run_tasks() == 1  # the worker takes the row as it takes any queued task
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 4
    assert len(mail.outbox) == 4


def test_pending_submissions_queue_their_confirmation_email(run_tasks):
    action = make_campaign(require_confirmation=True).action
    add_target(action.campaign)
    results = store(action, [data(1), data(2)])
    assert all(r.status == Submission.Status.PENDING for r in results)
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["person1@example.net", "person2@example.net"]
    assert not Delivery.objects.exists()


def test_the_same_person_counts_once_within_a_batch_and_across_batches():
    action = make_campaign(require_confirmation=False).action
    add_target(action.campaign)
    first = record_submission(action, data(1))
    results = store(action, [data(1), data(2), data(2, name="Again"), data(3)])

    assert isinstance(results[0], AlreadyTookPart) and results[0].submission.pk == first.pk
    assert isinstance(results[1], Submission)
    assert isinstance(results[2], AlreadyTookPart) and results[2].submission.pk == results[1].pk
    assert isinstance(results[3], Submission)
    assert Submission.objects.filter(action=action).count() == 3
    assert Consent.objects.count() == 3
    # One delivery task for the first, one for the batch's two new submissions, and
    # one telling the owners of the two addresses typed again that they took part.
    tasks = {}
    for t in DBTaskResult.objects.all():
        tasks.setdefault(t.task_path.rsplit(".", 1)[1], []).append(t.args_kwargs["args"])
    assert sorted(len(args[0]) for args in tasks["deliver_submissions"]) == [1, 2]
    assert tasks["send_reminders"] == [[sorted([first.pk, results[1].pk]), "again"]]


def test_own_referral_code_is_not_a_referral():
    action = make_campaign(require_confirmation=False).action
    add_target(action.campaign)
    supporter = Supporter.objects.create(email="person1@example.net", name="P")
    other = make_campaign("other", require_confirmation=False).action
    add_target(other.campaign)
    results = store(other, [data(1, ref=supporter.referral_code), data(2, ref=supporter.referral_code)])
    assert results[0].referral_code == ""
    assert results[1].referral_code == supporter.referral_code


def test_a_clash_inside_a_batch_is_retried_one_by_one(settings):
    """A unique clash undoes the batch's savepoint; each payload is then done alone and
    only the one that clashes for good fails."""
    calls = []

    def fn(key, payloads):
        calls.append(list(payloads))
        if "bad" in payloads:
            Supporter.objects.create(email="clash@example.net", name="x")
            Supporter.objects.create(email="clash@example.net", name="x")
        for p in payloads:
            Supporter.objects.create(email=f"{p}@example.net", name=p)
        return [p.upper() for p in payloads]

    committer = groupcommit.GroupCommitter()
    items = [groupcommit._Item(fn, "k", p) for p in ("a", "bad", "c")]
    with transaction.atomic():
        for item in items:
            item.start()
        committer._run_group(items)
    assert [i.result for i in items] == ["A", None, "C"]
    assert isinstance(items[1].error, IntegrityError)
    assert calls[0] == ["a", "bad", "c"]
    assert calls.count(["bad"]) == groupcommit.ATTEMPTS
    assert set(Supporter.objects.values_list("email", flat=True)) == {"a@example.net", "c@example.net"}
