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


def private_digest(value: str) -> bytes:
    secret = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(value.encode(), key=secret, digest_size=12).digest()


def private_key(value: str) -> str:
    return private_digest(value).hex()


class _Windows:
    """One scope's counters: the current fixed window's and the previous one's."""

    __slots__ = ("number", "current", "previous", "full")

    def __init__(self, number, previous=None):
        self.number = number
        self.current = {}  # subject digest → count
        self.previous = previous or {}
        self.full = False  # no room for new subjects until the window turns


class LocalCounters:
    """The counters in this process, when the cache is too (the default, without
    REDIS_URL): per scope, a dict of counts for the current fixed window and one for
    the previous, checked and counted under one lock with no pickling.

    Memory stays bounded however many people a spike brings. When the window turns the
    older dict is dropped whole. Within a window at most `max_subjects` subjects are
    counted: when that many are, those seen only once are forgotten (a flood is one
    subject seen again and again, so it stays counted); if that frees too little, new
    subjects go uncounted until the window turns, and are let through: a rate limit
    must not turn away a crowd of real people because it ran out of room.
    """

    def __init__(self, max_subjects: int = 20_000):
        self.lock = threading.Lock()
        self.max_subjects = max_subjects
        self._scopes = {}  # (scope, window seconds) → _Windows

    def windows(self, scope: str, seconds: int, number: int) -> _Windows:
        found = self._scopes.get((scope, seconds))
        if found is None or found.number != number:
            turned = found is not None and found.number == number - 1
            found = _Windows(number, found.current if turned else None)
            self._scopes[(scope, seconds)] = found
        return found

    def add_one(self, windows: _Windows, subject: bytes) -> None:
        current = windows.current
        count = current.get(subject)
        if count is None and len(current) >= self.max_subjects:
            if windows.full:
                return
            for seen_once in [key for key, n in current.items() if n == 1]:
                del current[seen_once]
            windows.full = len(current) > self.max_subjects // 2
            if windows.full:
                return
        current[subject] = (count or 0) + 1

    def clear(self):
        with self.lock:
            self._scopes.clear()


local_counters = LocalCounters()


def allow(scope: str, subject: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one event for `subject` in `scope`; False (nothing counted) past the limit.
    A limit of 0 means no limit."""
    if limit <= 0:
        return True
    rule = Limit(limit, window)
    now = time.time() if now is None else now
    current = rule.window(now)
    if isinstance(caches["default"], LocMemCache):
        digest = private_digest(subject)
        with local_counters.lock:
            windows = local_counters.windows(scope, window, current)
            if not rule.allows(windows.previous.get(digest, 0), windows.current.get(digest, 0), now):
                return False
            local_counters.add_one(windows, digest)
        return True
    key = private_key(subject)
    current_key, previous_key = f"rl:{scope}:{key}:{current}", f"rl:{scope}:{key}:{current - 1}"
    counts = cache.get_many([previous_key, current_key])
    if not rule.allows(counts.get(previous_key, 0), counts.get(current_key, 0), now):
        return False
    if not cache.add(current_key, 1, timeout=2 * window + 1):
        try:
            cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.add(current_key, 1, timeout=2 * window + 1)
    return True
