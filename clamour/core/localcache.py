"""A small in-process cache for objects every request needs during a spike.

Django's cache pickles what it stores; for the campaign and its targets, read on every
submission, a plain dict of live objects with a short time-to-live is cheaper. Objects
kept here are shared between threads and must be treated as read-only.
"""

import threading
import time


class TTLCache:
    def __init__(self):
        self._data = {}
        self._lock = threading.Lock()

    def get_or_set(self, key, build, ttl: float):
        now = time.monotonic()
        entry = self._data.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = build()
        with self._lock:
            self._data[key] = (now + ttl, value)
        return value

    def clear(self):
        with self._lock:
            self._data.clear()


objects = TTLCache()
