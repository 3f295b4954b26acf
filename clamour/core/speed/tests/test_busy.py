"""The task worker gives way to the web during a spike, and sends what people wait for first."""

import os
import threading
import time

import pytest
from django_tasks_db.models import DBTaskResult

from clamour.actions import delivery as action_tasks
from clamour.core import tasks as core_tasks
from clamour.core.speed import busy
from clamour.core.speed.groupcommit import GroupCommitter, _Item
from clamour.core.tasks import enqueue, make_worker, run_ready_tasks


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    busy._last_mark = 0.0
    return tmp_path


def test_a_fresh_mark_means_busy_and_an_old_one_does_not(var_dir):
    assert not busy.web_is_busy()
    busy.mark_busy()
    assert busy.web_is_busy()
    old = time.time() - busy.FRESH_FOR - 1
    os.utime(var_dir / "web-busy", (old, old))
    assert not busy.web_is_busy()


def test_a_missing_var_directory_is_no_error(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "absent"
    busy._last_mark = 0.0
    busy.mark_busy()  # nothing raised: a submission must never fail for this
    assert not busy.web_is_busy()


def echo(key, payloads):
    return list(payloads)


@pytest.mark.django_db(transaction=True)
def test_submissions_queueing_for_the_writer_mark_the_web_busy(var_dir, settings):
    settings.GROUP_COMMIT = True
    committer = GroupCommitter()
    one, two = _Item(echo, "k", 1), _Item(echo, "k", 2)
    committer._queue.put(one)
    committer._queue.put(two)  # both waiting when the writer looks: one batch of two
    committer._pid = os.getpid()
    threading.Thread(target=committer._loop, daemon=True).start()
    assert one.done.wait(10) and two.done.wait(10)
    assert (one.result, two.result) == (1, 2) and committer.batches == 1
    assert busy.web_is_busy()
    committer.close_connection()


def test_one_submission_at_a_time_does_not(var_dir, settings, transactional_db):
    settings.GROUP_COMMIT = True
    committer = GroupCommitter()
    for n in range(3):
        assert committer.run_batched(echo, "k", n) == n
    assert not busy.web_is_busy()
    committer.close_connection()


@pytest.fixture
def two_tasks(db):
    enqueue(action_tasks.deliver_submission, 123456)
    enqueue(action_tasks.deliver_submission, 123457)


def _run_claimed(worker):
    task_result = DBTaskResult.objects.ready().first()
    task_result.claim(worker.worker_id)
    worker.run_task(task_result)


def test_the_worker_rests_while_the_web_is_busy(var_dir, settings, monkeypatch, two_tasks):
    settings.WORKER_BUSY_SHARE = 0.2
    rests = []
    monkeypatch.setattr(core_tasks.time, "sleep", rests.append)
    worker = make_worker("test", yielding=True)
    _run_claimed(worker)
    assert rests == []  # a quiet web: no rest
    busy.mark_busy()
    _run_claimed(worker)
    assert len(rests) == 1 and 0 < rests[0] <= 1.0  # four times the task's own time


def test_emails_people_wait_for_run_before_letters(db, run_tasks):
    enqueue(action_tasks.deliver_submission, 123456)
    enqueue(action_tasks.send_confirmation, 123457)
    assert DBTaskResult.objects.ready().first().task_path.endswith("send_confirmation")
    run_ready_tasks(limit=1)
    assert DBTaskResult.objects.ready().get().task_path.endswith("deliver_submission")
