"""Group commit: many submissions, one durable commit.

With full durability every commit waits for the disk (an fsync), which caps the
commits a second a database can make. During a spike the requests
of one app process therefore hand their database work to one writer thread, which runs
whatever has queued up since its last commit in a single transaction and commits once.
Every request waits until the commit that holds its work has returned, so a supporter
is only thanked for a submission that is on disk.

A request hands the writer a payload (`run_batched(fn, key, payload)`): pieces with
the same `fn` and `key` queued together are done by one call `fn(key, payloads)`, which
can store them all with a few multi-row statements rather than a few statements each.

One failure does not spoil the others. The writer first runs the batch without
savepoints (on PostgreSQL each is a round trip); if a piece raises, it rolls that
transaction back and runs the batch again with every group in its own savepoint, and a
group whose call fails has each of its payloads done alone.

With GROUP_COMMIT off (the tests, or a single-threaded server) the work runs in the
request's own transaction instead.

What it buys: the spike's submissions/s, bounded by commits a second without it.
Measured in bench/RESULTS.md, "Before that (granian 2x4)" (commit 01d032a, as first
measured) and "Where the time went".
"""

import logging
import os
import queue
import threading

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction

from clamour.core import health

from . import busy

logger = logging.getLogger(__name__)


class Overloaded(Exception):
    """The writer has more work queued than it can commit in time; nothing was stored."""


class _PieceFailed(Exception):
    """A piece of a batch failed in the writer's first, savepoint-free attempt."""


# A batch call that hits a unique constraint is retried one payload at a time; a single
# payload that hits one (a concurrent writer stored the same person first) is retried
# this many times in all, by when it sees the other writer's row and answers accordingly.
ATTEMPTS = 3


def run_alone(fn, key, payload):
    """Do one payload of batchable work in its own savepoint, retrying on a unique
    constraint clash. Returns fn's result for it, or raises its error; an error that fn
    returns as the payload's result is raised once what fn stored has been kept, as in
    a batch."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                result = fn(key, [payload])[0]
            if isinstance(result, Exception):
                raise result
            return result
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


class _Item:
    __slots__ = ("fn", "key", "payload", "result", "error", "done", "state", "lock")

    def __init__(self, fn, key=None, payload=None):
        self.fn = fn  # None: close_connection()'s request
        self.key = key
        self.payload = payload
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

    def run_batched(self, fn, key, payload, *, timeout: float | None = None):
        """Have `fn(key, [payload, …])` do this payload, with others queued alongside it,
        inside a committed transaction; return its result for this payload.

        `fn` returns one result per payload, in order; a result that is an exception is
        raised here, in the requester's thread (as is what `fn` raised for this payload
        alone; its savepoint is rolled back). Raises Overloaded when the queue is too long
        or the commit does not come within `timeout` seconds.
        """
        if not settings.GROUP_COMMIT:
            return run_alone(fn, key, payload)
        return self._submit(_Item(fn, key, payload), timeout)

    def _submit(self, item, timeout):
        if self._queue.qsize() >= settings.GROUP_COMMIT_MAX_QUEUE:
            raise Overloaded("writer queue full")
        self._ensure_writer()
        self._queue.put(item)
        timeout = settings.GROUP_COMMIT_TIMEOUT if timeout is None else timeout
        if not item.done.wait(timeout):
            if item.abandon():
                raise Overloaded("timed out waiting for the writer")
            # Already running inside a transaction that holds the write lock: its
            # outcome (committed or not) is known within moments.
            item.done.wait()
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
        connection.unbounded_lock_wait = True  # see clamour.core.speed.sqlite.base
        while True:
            items = [self._queue.get()]
            while len(items) < self.max_batch:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if items[-1].fn is None:  # close_connection() asked for it
                self._commit(items[:-1])
                connection.close()
                items[-1].done.set()
                continue
            if len(items) > 1:  # arriving faster than a commit takes
                busy.mark_busy()
            self._commit(items)

    def _commit(self, items):
        """Commit the batch. First without savepoints (each costs a round trip to the
        database); if any piece fails, that transaction is rolled back and the batch
        is done again with each piece (and each group) in its own savepoint.

        A piece is started only once the transaction has begun, that is once the write
        lock is held: while the writer waits for the lock (a long commit elsewhere, a
        lock held by another program) every requester can still give up at its
        GROUP_COMMIT_TIMEOUT, and what it gave up on is never written."""
        items = [item for item in items if item.state == "queued"]
        if not items:
            return
        started = []
        try:
            close_old_connections()
            try:
                with transaction.atomic():
                    started = [item for item in items if item.start()]
                    self._run_pieces(started, isolated=False)
            except _PieceFailed:
                for item in started:
                    item.result = item.error = None
                with transaction.atomic():
                    self._run_pieces(started, isolated=True)
            self.batches += 1 if started else 0
            self.items += len(started)
            health.note_write_success()
        except Exception as exc:  # the commit failed: nothing in the batch is stored
            logger.warning("Group commit of %d item(s) failed: %s", len(items), exc)
            if health.cannot_write(exc):
                health.note_write_failure()
            for item in items:
                item.abandon()  # those not started yet: never start them
                item.result, item.error = None, exc
            connection.close()
        finally:
            for item in items:
                item.done.set()

    def _run_pieces(self, items, *, isolated: bool):
        groups = {}
        for item in items:
            groups.setdefault((item.fn, item.key), []).append(item)
        for group in groups.values():
            if isolated:
                self._run_group(group)
                continue
            try:
                results = group[0].fn(group[0].key, [item.payload for item in group])
            except Exception as exc:
                raise _PieceFailed from exc
            self._hand_out(group, results)

    @staticmethod
    def _run_group(group):
        fn, key = group[0].fn, group[0].key
        try:
            with transaction.atomic():
                results = fn(key, [item.payload for item in group])
        except Exception:  # the whole call is undone; each payload on its own instead
            for item in group:
                try:
                    item.result = run_alone(fn, key, item.payload)
                except Exception as exc:
                    item.error = exc
            return
        GroupCommitter._hand_out(group, results)

    @staticmethod
    def _hand_out(group, results):
        for item, result in zip(group, results, strict=True):
            if isinstance(result, Exception):
                item.error = result
            else:
                item.result = result


committer = GroupCommitter()
