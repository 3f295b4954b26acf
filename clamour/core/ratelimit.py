"""Rate limits kept per process by default, or in Django's cache (shared with Redis).

`allow("submit-ip", subject, limit=30, window=60)` counts one event and says whether it
is within "30 in any 60 seconds", estimated over a sliding window from two fixed-window
counters (the arithmetic is in clamour.lib.ratelimit). A refused event is not counted.
Subjects are hashed with the site's secret before they become cache keys, so the cache
never holds an email address; callers pass IP addresses as clamour.lib.iphash.ip_key.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from clamour.lib.ratelimit import Limit


def private_key(value: str) -> str:
    secret = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(value.encode(), key=secret, digest_size=12).hexdigest()


class LocalCounters:
    """The counters in this process, when the cache is too (the default, without
    REDIS_URL): a dict under a lock, without the per-process cache's pickling and key
    checks, and checked and counted in one step."""

    def __init__(self):
        self.lock = threading.Lock()
        self._counts = {}  # key → [count, expires at]
        self._next_purge = 0.0

    def count(self, key, now) -> int:
        entry = self._counts.get(key)
        return entry[0] if entry is not None and entry[1] > now else 0

    def add_one(self, key, now, timeout) -> None:
        entry = self._counts.get(key)
        if entry is None or entry[1] <= now:
            self._counts[key] = [1, now + timeout]
        else:
            entry[0] += 1
        if now >= self._next_purge:  # drop expired counters now and then
            self._counts = {k: e for k, e in self._counts.items() if e[1] > now}
            self._next_purge = now + 60

    def clear(self):
        with self.lock:
            self._counts.clear()


local_counters = LocalCounters()


def allow(scope: str, subject: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one event for `subject` in `scope`; False (nothing counted) past the limit.
    A limit of 0 means no limit."""
    if limit <= 0:
        return True
    rule = Limit(limit, window)
    now = time.time() if now is None else now
    current = rule.window(now)
    key = private_key(subject)
    current_key, previous_key = f"rl:{scope}:{key}:{current}", f"rl:{scope}:{key}:{current - 1}"
    if isinstance(caches["default"], LocMemCache):
        with local_counters.lock:
            previous = local_counters.count(previous_key, now)
            if not rule.allows(previous, local_counters.count(current_key, now), now):
                return False
            local_counters.add_one(current_key, now, 2 * window + 1)
        return True
    counts = cache.get_many([previous_key, current_key])
    if not rule.allows(counts.get(previous_key, 0), counts.get(current_key, 0), now):
        return False
    if not cache.add(current_key, 1, timeout=2 * window + 1):
        try:
            cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.add(current_key, 1, timeout=2 * window + 1)
    return True
