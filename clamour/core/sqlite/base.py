"""SQLite, with writers that queue instead of polling.

SQLite lets one writer in at a time. A connection that finds the database locked
sleeps and retries (1, 2, 5, 10 … up to 100 ms between tries), so under a spike most
writers are asleep while the lock sits free, and the slowest wait for seconds. Here
every transaction (Clamour's are all BEGIN IMMEDIATE: they write) first takes an
exclusive lock on a file beside the database; the kernel hands that lock to the next
waiting writer, in any process, the moment it is released. Reads outside a
transaction take no lock: in WAL mode they never wait for writers.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd = None
    _holds_write_lock = False

    def _lock_path(self):
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return name + "-writelock"

    def _take_write_lock(self):
        path = self._lock_path()
        if path is None or self._holds_write_lock:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._holds_write_lock = True

    def _release_write_lock(self):
        if self._holds_write_lock:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
            self._holds_write_lock = False

    def _start_transaction_under_autocommit(self):
        self._take_write_lock()
        try:
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
