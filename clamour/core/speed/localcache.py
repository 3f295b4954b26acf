"""A small in-process cache for what every request needs during a spike.

Django's cache pickles what it stores; for the campaign and its targets, read on every
submission, and for whole cached pages, a plain dict of live objects with a short
time-to-live is cheaper. Objects kept here are shared between threads and must be
treated as read-only.

Only one thread builds a missing or expired entry at a time (single flight): during a
refresh storm the others wait for it, or, where an older copy may be served
(`stale_for`), get that copy at once while one thread builds the new one.

What it buys: no query for the campaign per submission, and no unpickling of cached
pages. Measured in bench/RESULTS.md, "Before that (granian 2x4)" (ce28bfa: campaign and
targets read once per interval per process).
"""

import threading
import time


class TTLCache:
    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._data = {}  # key → (fresh until, stale until, value)
        self._lock = threading.Lock()
        self._building = {}  # key → lock held by the thread building that entry

    def get_or_set(self, key, build, ttl: float, *, stale_for: float = 0):
        """The value for `key`, built with `build()` if it is missing or expired.

        A value up to `stale_for` seconds past its time-to-live is returned as it is
        while another thread builds its successor. What `build()` raises reaches the
        caller and nothing is stored.
        """
        now = time.monotonic()
        entry = self._data.get(key)
        if entry is not None and entry[0] > now:
            return entry[2]
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        if entry is not None and entry[1] > now:
            if not building.acquire(blocking=False):
                return entry[2]  # being rebuilt: the previous copy meanwhile
        else:
            building.acquire()
        try:
            entry = self._data.get(key)
            now = time.monotonic()
            if entry is not None and entry[0] > now:
                return entry[2]  # built by another thread while this one waited
            value = build()
            now = time.monotonic()
            with self._lock:
                if len(self._data) >= self.max_entries and key not in self._data:
                    self._evict(now)
                self._data[key] = (now + ttl, now + ttl + stale_for, value)
            return value
        finally:
            building.release()

    def _evict(self, now):
        """Drop what has expired, or else the entry closest to expiring (lock held)."""
        expired = [k for k, (_fresh, stale, _v) in self._data.items() if stale <= now]
        for key in expired or [min(self._data, key=lambda k: self._data[k][1])]:
            del self._data[key]
            # Its build lock goes too (at worst two threads once build the same entry).
            self._building.pop(key, None)

    def clear(self):
        with self._lock:
            self._data.clear()
            self._building.clear()


objects = TTLCache()
pages = TTLCache(max_entries=200)
# Copies of a page chosen by its query string (a preselected country, newest comments
# first): kept apart, so that many of them never push the plain pages out.
variants = TTLCache(max_entries=300)


def clear():
    objects.clear()
    pages.clear()
    variants.clear()
