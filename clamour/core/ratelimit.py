"""Rate limits kept in Django's cache (per process by default, shared with Redis).

A fixed window per key: `allow("submit-ip", key, limit=30, window=60)` is True for the
first 30 calls in a minute. Keys that name a person or an address are hashed with the
site's secret first, so the cache never holds a raw IP address or email.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def private_key(value: str) -> str:
    secret = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(value.encode(), key=secret, digest_size=12).hexdigest()


def allow(scope: str, value: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one event for `value` in `scope`; False once `limit` is passed in this window."""
    if limit <= 0:
        return True
    bucket = int((now if now is not None else time.time()) // window)
    key = f"rl:{scope}:{private_key(value)}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return True
    return count <= limit

