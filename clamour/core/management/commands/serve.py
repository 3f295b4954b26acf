"""Serve Clamour for real: granian for the web, plus WORKER_PROCESSES task workers.

The web runs through clamour/gateway.py (granian's RSGI interface): each process's
event loop receives a request's whole body before one of its WEB_THREADS threads runs
Django, so slow or oversized uploads cannot tie up the threads.

One process tree to start and stop: Ctrl-C or SIGTERM stops them all; a web worker that
dies is replaced by granian; a task worker that dies is restarted here, like a
supervisor would, and anything it left half-done is taken up again (tasks are
idempotent and abandoned ones are requeued).
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def granian_command(host: str, port: int, workers: int) -> list[str]:
    """granian running the gateway (whose thread pool has WEB_THREADS threads)."""
    return [
        sys.executable, "-m", "granian", "--interface", "rsgi",
        "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", "1",
        "--backlog", "2048", "--respawn-failed-workers", "--no-ws",
        "--log-level", "warning",
        "clamour.gateway:app",
    ]


class Command(BaseCommand):
    help = "Run the production web server (granian) and the task worker until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--skip-setup", action="store_true",
                            help="Do not migrate or collect static files first.")

    def handle(self, *args, skip_setup, **options):
        if not skip_setup:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
        web_cmd = granian_command(settings.WEB_HOST, settings.PORT, settings.WEB_WORKERS)
        worker_cmd = [sys.executable, os.path.abspath(sys.argv[0]), "worker"]
        self.stdout.write(
            f"Serving on http://{settings.WEB_HOST}:{settings.PORT}/ with granian "
            f"({settings.WEB_WORKERS} workers × {settings.WEB_THREADS} threads) and "
            f"{settings.WORKER_PROCESSES} task worker(s). Ctrl-C stops them all."
        )
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        web = subprocess.Popen(web_cmd)
        workers = [subprocess.Popen(worker_cmd) for _ in range(settings.WORKER_PROCESSES)]
        code = 0
        try:
            while not stopping:
                time.sleep(0.5)
                if web.poll() is not None:
                    self.stderr.write(f"The web server stopped (exit {web.returncode}).")
                    code = web.returncode or 1
                    break
                for n, worker in enumerate(workers):
                    if worker.poll() is not None:
                        self.stderr.write(f"A task worker stopped (exit {worker.returncode}); "
                                          "restarting it.")
                        workers[n] = subprocess.Popen(worker_cmd)
        finally:
            for process in (web, *workers):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (web, *workers):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        sys.exit(code)
