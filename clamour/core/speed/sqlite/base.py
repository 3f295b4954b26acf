"""SQLite, with writers that queue instead of polling.

SQLite lets one writer in at a time. A connection that finds the database locked
sleeps and retries (1, 2, 5, 10 … up to 100 ms between tries), so under a spike most
writers are asleep while the lock sits free, and the slowest wait for seconds. Here
every transaction (Clamour's are all BEGIN IMMEDIATE: they write) first takes an
exclusive lock on a file beside the database; the kernel hands that lock to the next
waiting writer, in any process, the moment it is released. Reads outside a
transaction take no lock: in WAL mode they never wait for writers.

SQLITE_BUSY_TIMEOUT bounds the wait of every connection but the group-commit writer's:
the file lock and then SQLite's own lock (held by a process that does not take the file
lock, such as the `sqlite3` shell) together take at most that many seconds, after which
the transaction fails with "database is locked" and nothing was written (the web
answers 503). A flock cannot time out, so a contended one is waited for by a helper
thread on the same open file while this thread waits with a deadline; if the deadline
passes first, the helper hands the lock straight back when it gets it.

The group-commit writer (`unbounded_lock_wait`) waits for the file lock without a
deadline: the people it commits for give up by themselves at GROUP_COMMIT_TIMEOUT, and
what they gave up on is never started. Only its wait for SQLite's own lock is bounded by
SQLITE_BUSY_TIMEOUT.

What it buys: writers that get the lock the moment it is free, so a spike's p99 is not
set by the busy handler's sleeps. Measured in bench/RESULTS.md, "Before that (granian
2x4)" (9a39911); `make bench-machinery` measures it against Django's own backend
(BENCH_SWITCH_OFF=sqlite-lock).
"""

import fcntl
import os
import threading
import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3 import base


class _PendingLock:
    """A blocking flock on `fd`, taken by a helper thread, that a requester waits for
    with a deadline."""

    def __init__(self, fd):
        self.fd = os.dup(fd)  # the same open file: a lock taken on it is the connection's
        self.lock = threading.Lock()
        self.taken = threading.Event()
        self.wanted = True  # someone is waiting for it right now
        self.finished = False  # the helper is done (lock handed over or given back)
        threading.Thread(target=self._take, name="sqlite-write-lock", daemon=True).start()

    def _take(self):
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            with self.lock:
                if self.wanted:
                    self.taken.set()
                else:  # the requester gave up meanwhile: let the next writer in
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                self.finished = True
        finally:
            os.close(self.fd)

    def wait(self, timeout: float) -> bool:
        """True when the lock is now held; False when `timeout` passed first."""
        with self.lock:
            self.wanted = True
            if self.taken.is_set():
                return True
        if self.taken.wait(timeout):
            return True
        with self.lock:
            if self.taken.is_set():
                return True
            self.wanted = False
            return False


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd = None
    _holds_write_lock = False
    # The group-commit writer's connection waits for the file lock without a deadline
    # (no helper thread per commit): the people it commits for give up by themselves
    # at GROUP_COMMIT_TIMEOUT, and what they gave up on is never started.
    unbounded_lock_wait = False

    def _lock_path(self):
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return name + "-writelock"

    _pending_lock = None

    def _take_write_lock(self) -> float:
        """Take the file lock; returns the seconds waited for it."""
        path = self._lock_path()
        if path is None or self._holds_write_lock:
            return 0.0
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            waited = 0.0
        except BlockingIOError:
            if self.unbounded_lock_wait:
                fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
                waited = 0.0  # SQLite's lock then has its own SQLITE_BUSY_TIMEOUT
            else:
                waited = self._wait_for_write_lock(settings.SQLITE_BUSY_TIMEOUT)
        self._holds_write_lock = True
        return waited

    def _wait_for_write_lock(self, timeout: float) -> float:
        start = time.monotonic()
        pending = self._pending_lock
        if pending is None or (pending.finished and not pending.taken.is_set()):
            pending = self._pending_lock = _PendingLock(self._write_lock_fd)
        if not pending.wait(timeout):
            raise OperationalError(
                f"database is locked: no write lock within {timeout:g} s")
        self._pending_lock = None
        return time.monotonic() - start

    def _begin_within(self, seconds: float):
        """BEGIN, waiting at most `seconds` for SQLite's own lock."""
        cursor = self.connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {max(1, int(seconds * 1000))}")
        try:
            super()._start_transaction_under_autocommit()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(settings.SQLITE_BUSY_TIMEOUT * 1000)}")

    def _release_write_lock(self):
        if self._holds_write_lock:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
            self._holds_write_lock = False

    def _start_transaction_under_autocommit(self):
        waited = self._take_write_lock()
        try:
            if waited > 0.01:  # what is left of SQLITE_BUSY_TIMEOUT
                self._begin_within(max(0.001, settings.SQLITE_BUSY_TIMEOUT - waited))
            else:
                super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
