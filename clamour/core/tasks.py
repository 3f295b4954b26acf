"""Background work: enqueue with the data it belongs to, run, and recover.

With the database task backend (the default) a task is a row in the same database as
the data, so enqueueing inside the transaction makes the two commit together: a
submission and its confirmation email are both stored, or neither (a transactional
outbox). With any other backend (Redis, later) the task is enqueued once the
transaction has committed, so a worker never sees work for data that does not exist.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .speed import busy

logger = logging.getLogger(__name__)

# The priority of emails a person is waiting for (a confirmation or log-in link): the
# worker runs them before anything else due, such as the letters of a spike's backlog.
WAITED_FOR = 50


def enqueue(task, *args, run_after=None):
    """Queue `task(*args)` so that it runs only if the current transaction commits."""
    if run_after is not None:
        task = task.using(run_after=run_after)
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


class YieldingWorker(Worker):
    """A worker that, while the web is busy (`core.speed.busy`), spends at most
    WORKER_BUSY_SHARE of its time running tasks and rests in between."""

    def run_task(self, db_task_result) -> None:
        started = time.monotonic()
        super().run_task(db_task_result)
        share = settings.WORKER_BUSY_SHARE
        if share < 1 and busy.web_is_busy():
            spent = time.monotonic() - started
            time.sleep(min(spent * (1 / share - 1), 1.0))


def make_worker(worker_id: str, interval: float = 1.0, batch: bool = False,
                yielding: bool = False) -> Worker:
    return (YieldingWorker if yielding else Worker)(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_ready_tasks(limit: int = 1000, worker_id: str = "inline") -> int:
    """Run tasks that are due, one after another, in this process. Returns how many ran.

    Used by the tests (the `run_tasks` fixture); the long-running worker is
    `manage.py worker`.
    """
    worker = make_worker(worker_id)
    ran = 0
    while ran < limit:
        with transaction.atomic():
            task_result = DBTaskResult.objects.ready().select_for_update(skip_locked=True).first()
            if task_result is None:
                break
            task_result.claim(worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran


def requeue_abandoned(older_than: timedelta | None = None) -> int:
    """Put back tasks whose worker died mid-run (kill -9, power loss): those still
    running after `older_than` (TASK_ABANDONED_MINUTES by default).

    The task database marks a task RUNNING when a worker takes it and never looks at
    it again, so without this a crash would strand it. Every Clamour task is safe to
    run twice, which is what makes running it again the right recovery.
    """
    if older_than is None:
        older_than = timedelta(minutes=settings.TASK_ABANDONED_MINUTES)
    cutoff = timezone.now() - older_than
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("Requeued %d task(s) abandoned by a worker that stopped", count)
    return count
