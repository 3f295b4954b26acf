"""bulk.insert stores what Model.save() would, on SQLite and PostgreSQL alike."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from clamour.actions.models import Submission
from clamour.core.speed import bulk
from clamour.supporters.models import Supporter
from clamour.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_rows_come_back_as_saved_with_their_new_keys():
    action = make_campaign().action
    before = timezone.now()
    people = [Supporter(email=f"p{n}@example.net", name=f"Pé {n} ‮", country="KE")
              for n in range(3)]
    bulk.insert(people)
    assert all(p.pk for p in people) and len({p.pk for p in people}) == 3
    stored = Supporter.objects.get(pk=people[2].pk)
    assert (stored.email, stored.name, stored.country) == ("p2@example.net", "Pé 2 ‮", "KE")
    assert stored.referral_code == people[2].referral_code
    assert before <= stored.created_at <= timezone.now()  # auto_now_add applied

    confirmed_at = timezone.now() - timedelta(minutes=5)
    subs = [Submission(action=action, supporter=p, name=p.name, email=p.email, country="KE",
                       consent_wording="w", consent_given=bool(n), body="it's 100% \"quoted\"",
                       status=Submission.Status.CONFIRMED, created_at=confirmed_at,
                       confirmed_at=confirmed_at)
            for n, p in enumerate(people)]
    bulk.insert(subs)
    stored = Submission.objects.get(pk=subs[1].pk)
    assert stored.supporter_id == people[1].pk and stored.consent_given is True
    assert stored.body == "it's 100% \"quoted\"" and stored.confirmed_at == confirmed_at
    assert not subs[0]._state.adding


def test_explicit_keys_json_and_far_dates():
    rows = [DBTaskResult(id=uuid.uuid4(), args_kwargs={"args": [n, "x"], "kwargs": {}},
                         task_path="clamour.actions.delivery.deliver_submission",
                         backend_name="default", run_after=get_date_max())
            for n in range(2)]
    bulk.insert(rows)
    stored = DBTaskResult.objects.get(pk=rows[1].pk)
    assert stored.args_kwargs == {"args": [1, "x"], "kwargs": {}}
    assert stored.run_after == get_date_max() and stored.status == "READY"
    assert DBTaskResult.objects.ready().count() == 2


def test_large_batches_are_split_below_the_parameter_cap():
    people = [Supporter(email=f"many{n}@example.net", name="M") for n in range(250)]
    bulk.insert(people)  # 250 rows × 7 columns > 999 parameters
    assert Supporter.objects.filter(email__startswith="many").count() == 250
    assert len({p.pk for p in people}) == 250
