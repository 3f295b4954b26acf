"""Rate limits kept in Django's cache (per process by default, shared with Redis).

`allow("submit-ip", subject, limit=30, window=60)` counts one event and says whether it
is within "30 in any 60 seconds", estimated over a sliding window from two fixed-window
counters (the arithmetic is in clamour.lib.ratelimit). A refused event is not counted.
Subjects are hashed with the site's secret before they become cache keys, so the cache
never holds an email address; callers pass IP addresses as clamour.lib.iphash.ip_key.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from clamour.lib.ratelimit import Limit


def private_key(value: str) -> str:
    secret = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(value.encode(), key=secret, digest_size=12).hexdigest()


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
    counts = cache.get_many([previous_key, current_key])
    if not rule.allows(counts.get(previous_key, 0), counts.get(current_key, 0), now):
        return False
    if not cache.add(current_key, 1, timeout=2 * window + 1):
        try:
            cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.add(current_key, 1, timeout=2 * window + 1)
    return True
