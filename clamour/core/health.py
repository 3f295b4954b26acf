"""Whether this site can record anything right now, for /healthz.

Reading the database is not enough: with its disk full a site still shows every page
but stores nothing. /healthz is therefore also 503 when

- a write failed for lack of room or an I/O error (the disk is full, the database is
  read-only) within the last WRITE_FAILURE_SECONDS in this process and no write has
  succeeded since, or
- the disk holding a SQLite database has less than HEALTH_MIN_FREE_BYTES free.
"""

import os
import threading
import time

from django.conf import settings

WRITE_FAILURE_SECONDS = 60.0

# Words in the database's error that mean "nothing can be written", on SQLite
# ("database or disk is full", "disk I/O error", "attempt to write a readonly
# database") and PostgreSQL ("could not extend file …: No space left on device").
CANNOT_WRITE = ("disk is full", "disk full", "no space left", "could not extend file",
                "disk i/o error", "readonly database", "read-only")

_lock = threading.Lock()
_failed_at = 0.0  # monotonic time of the last write that failed this way; 0: none since


def cannot_write(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in CANNOT_WRITE)


def note_write_failure() -> None:
    global _failed_at
    with _lock:
        _failed_at = time.monotonic()


def note_write_success() -> None:
    global _failed_at
    if _failed_at:
        with _lock:
            _failed_at = 0.0


def write_problem() -> str | None:
    """Why writes fail or are about to, or None."""
    if _failed_at and time.monotonic() - _failed_at < WRITE_FAILURE_SECONDS:
        return "writes are failing (disk full or read-only)"
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite") or database["ENGINE"].endswith("sqlite3"):
        directory = os.path.dirname(os.path.abspath(str(database["NAME"])))
        try:
            stat = os.statvfs(directory)
        except OSError:
            return None
        free = stat.f_bavail * stat.f_frsize
        if free < settings.HEALTH_MIN_FREE_BYTES:
            return f"only {free // 1024} KB free on the database's disk"
    return None
