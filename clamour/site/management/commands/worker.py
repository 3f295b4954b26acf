import logging
import os
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from clamour.actions.delivery import requeue_stale_deliveries
from clamour.core.speed import smtp
from clamour.core.tasks import make_worker, requeue_abandoned
from clamour.mailings.sending import resume_stalled
from clamour.site.retention import prune_if_due
from clamour.workspace.tallies import refresh_all as refresh_all_tallies

logger = logging.getLogger(__name__)


def run_maintenance(stop: threading.Event, every: float = 60.0) -> None:
    """Every minute, put back tasks abandoned by a worker that died mid-task and the
    letters it left "sending", queue the next batch of a mailing that has none, end SMTP
    sessions left idle and sum the hours that closed into the workspace's tallies; every
    PRUNE_INTERVAL_MINUTES, delete what the retention settings say to (`manage.py prune`)."""
    last_prune = None
    while not stop.wait(every):
        try:
            requeue_abandoned()
            requeue_stale_deliveries()
            resume_stalled()
            smtp.close_idle()
            refresh_all_tallies()  # the dashboards' summed hours, so a visit has little to add
        except Exception:  # keep the worker alive through a database blip
            logger.exception("Task maintenance failed; will try again")
        last_prune = prune_if_due(last_prune)


class Command(BaseCommand):
    help = "Run background tasks (emails, letter delivery) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5,
                            help="Seconds to wait when there is nothing to do.")
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, interval, worker_id, **options):
        worker_id = worker_id or f"worker-{os.getpid()}-{int(time.time())}"
        if settings.WORKER_NICE:
            # Background work yields the CPU to the web processes during a spike.
            os.nice(settings.WORKER_NICE)
        requeue_abandoned()
        smtp.keep_sessions = True  # letters go out in runs: one SMTP session for many
        stop = threading.Event()
        threading.Thread(target=run_maintenance, args=(stop,), daemon=True).start()
        worker = make_worker(worker_id, interval=interval, yielding=True)
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
