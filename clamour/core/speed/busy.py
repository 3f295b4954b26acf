"""Telling the task worker that the web is busy.

During a spike the web processes' group-commit writers mark a file in VAR_DIR (its
modification time, at most twice a second) whenever submissions queue up faster than
one commit takes. While the mark is fresh the task worker runs tasks for only
WORKER_BUSY_SHARE of its time, so the CPU and the database go to taking actions; it
catches up when the spike is over, sending what a person is waiting for (confirmation
and log-in emails) before letters, by task priority.

A worker on another machine than the web (PostgreSQL) does not see the mark and runs
at full speed, as it would without this.

What it buys: CPU and database time for the web during a spike. Measured in
bench/RESULTS.md, "What changed between `4dd5880` and `1bc8582`" (d948976).
"""

import os
import time

from django.conf import settings

FRESH_FOR = 2.0  # seconds a mark counts as "busy now"
_last_mark = 0.0


def mark_path():
    return settings.VAR_DIR / "web-busy"


def mark_busy() -> None:
    global _last_mark
    now = time.monotonic()
    if now - _last_mark < 0.5:
        return
    _last_mark = now
    try:
        mark_path().touch()  # creates the file, or sets its modification time to now
    except OSError:  # no var/ here, or a read-only disk: must not fail a submission
        pass


def web_is_busy() -> bool:
    try:
        return time.time() - os.stat(mark_path()).st_mtime < FRESH_FOR
    except OSError:
        return False
