"""Group commit: many submissions, one durable commit.

With full durability every commit waits for the disk (an fsync: about 3 ms on this
kind of machine, so about 300 commits a second at most). During a spike the requests
of one app process therefore hand their database work to one writer thread, which runs
whatever has queued up since its last commit in a single transaction (each piece in
its own savepoint, so one failure does not spoil the others) and commits once. Every
request waits until the commit that holds its work has returned, so a supporter is only
thanked for a submission that is on disk.

With GROUP_COMMIT off (the tests, or a single-threaded server) the work runs in the
request's own transaction instead.
"""

import logging
import os
import queue
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)


class Overloaded(Exception):
    """The writer has more work queued than it can commit in time; nothing was stored."""


class _Item:
    __slots__ = ("work", "result", "error", "done", "state", "lock")

    def __init__(self, work):
        self.work = work
        self.result = None
        self.error = None
        self.done = threading.Event()
        self.state = "queued"  # queued → running, or queued → abandoned
        self.lock = threading.Lock()

    def start(self) -> bool:
        with self.lock:
            if self.state != "queued":
                return False
            self.state = "running"
            return True

    def abandon(self) -> bool:
        """The requester gives up; True if the work had not started (and now never will)."""
        with self.lock:
            if self.state == "queued":
                self.state = "abandoned"
                return True
            return False


class GroupCommitter:
    def __init__(self, max_batch: int = 200):
        self.max_batch = max_batch
        self._queue: queue.Queue[_Item] = queue.Queue()
        self._start_lock = threading.Lock()
        self._pid = None
        self.batches = 0
        self.items = 0

    def run(self, work, *, timeout: float | None = None):
        """Run `work()` inside a committed transaction and return its result.

        Raises what `work` raised (its savepoint is rolled back), or Overloaded when the
        queue is too long or the commit does not come within `timeout` seconds.
        """
        if not settings.GROUP_COMMIT:
            with transaction.atomic():
                return work()
        if self._queue.qsize() >= settings.GROUP_COMMIT_MAX_QUEUE:
            raise Overloaded("writer queue full")
        self._ensure_writer()
        item = _Item(work)
        self._queue.put(item)
        timeout = settings.GROUP_COMMIT_TIMEOUT if timeout is None else timeout
        if not item.done.wait(timeout):
            if item.abandon():
                raise Overloaded("timed out waiting for the writer")
            item.done.wait()  # already running: its outcome is known soon
        if item.error is not None:
            raise item.error
        return item.result

    def close_connection(self):
        """Ask the writer to close its database connection (tests, before dropping a database)."""
        if self._pid != os.getpid():
            return
        item = _Item(None)
        self._queue.put(item)
        item.done.wait(10)

    def _ensure_writer(self):
        pid = os.getpid()
        if self._pid == pid:
            return
        with self._start_lock:
            if self._pid != pid:  # first use in this process (a fork starts afresh)
                self._queue = queue.Queue()
                threading.Thread(target=self._loop, name="group-commit", daemon=True).start()
                self._pid = pid

    def _loop(self):
        while True:
            items = [self._queue.get()]
            while len(items) < self.max_batch:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if items[-1].work is None:  # close_connection() asked for it
                self._commit([item for item in items[:-1] if item.start()])
                connection.close()
                items[-1].done.set()
                continue
            self._commit([item for item in items if item.start()])

    def _commit(self, items):
        if not items:
            return
        try:
            close_old_connections()
            with transaction.atomic():
                for item in items:
                    try:
                        with transaction.atomic():
                            item.result = item.work()
                    except Exception as exc:  # this piece only: its savepoint is gone
                        item.error = exc
            self.batches += 1
            self.items += len(items)
        except Exception as exc:  # the commit failed: nothing in the batch is stored
            logger.warning("Group commit of %d item(s) failed: %s", len(items), exc)
            for item in items:
                item.result, item.error = None, exc
            connection.close()
        finally:
            for item in items:
                item.done.set()


committer = GroupCommitter()
