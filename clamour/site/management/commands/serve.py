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


class Restarting:
    """A task worker process that is restarted when it stops, after a pause that
    doubles (1, 2, 4 … up to MAX_PAUSE seconds) while it keeps stopping within
    STEADY seconds of its start (its database is down, say), so that a worker that
    cannot run is not started again and again many times a second."""

    FIRST_PAUSE = 1.0
    MAX_PAUSE = 60.0
    STEADY = 60.0

    def __init__(self, command, now=None):
        self.command = command
        self.pause = 0.0
        self.restart_at = None
        self.started_at = time.monotonic() if now is None else now
        self.process = subprocess.Popen(command)

    def check(self, now: float) -> str | None:
        """Look after the process; returns a line to log, if any."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self.started_at = now
                self.process = subprocess.Popen(self.command)
            return None
        if self.process.poll() is None:
            return None
        if now - self.started_at >= self.STEADY:
            self.pause = 0.0
        else:
            self.pause = min(self.MAX_PAUSE, max(self.FIRST_PAUSE, self.pause * 2))
        self.restart_at = now + self.pause
        return (f"A task worker stopped (exit {self.process.returncode}); "
                f"restarting it in {self.pause:g} s.")


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
        workers = [Restarting(worker_cmd) for _ in range(settings.WORKER_PROCESSES)]
        code = 0
        try:
            while not stopping:
                time.sleep(0.5)
                if web.poll() is not None:
                    self.stderr.write(f"The web server stopped (exit {web.returncode}).")
                    code = web.returncode or 1
                    break
                for worker in workers:
                    message = worker.check(time.monotonic())
                    if message:
                        self.stderr.write(message)
        finally:
            processes = [web] + [w.process for w in workers if w.process is not None]
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        sys.exit(code)
