"""Rate limits kept per process by default, or in Django's cache (shared with Redis).

`wait("submit-ip", subject, (30, 60))` counts one event and answers 0 when it is within
"30 in any 60 seconds", estimated over a sliding window from two fixed-window counters
(the arithmetic is in clamour.lib.ratelimit); past the limit it counts nothing and
answers the seconds until one more event would be allowed. `too_many(request, wait, …)`
is the 429 for that, with `Retry-After: <wait>`: the page's template for a page, JSON
for a request that asks for JSON. Every rate-limited view does

    if wait := ratelimit.wait("submit-ip", ip_key(client_ip(request)), settings.SUBMIT_RATE_PER_IP):
        return ratelimit.too_many(request, wait, "actions/too_many.html", {...})

Subjects are hashed with the site's secret before they become cache keys, so the cache
never holds an email address; callers pass IP addresses as clamour.lib.iphash.ip_key.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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

clock = time.time  # the time limits are counted at (tests set it to a fixed moment)


def allow(scope: str, subject: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one event for `subject` in `scope`; False (nothing counted) past the limit.
    A limit of 0 means no limit."""
    return wait(scope, subject, (limit, window), now=now) == 0


def wait(scope: str, subject: str, rate: tuple[int, int], *, now: float | None = None) -> int:
    """Count one event for `subject` in `scope` if `rate` ("count", "seconds") allows it
    and answer 0; past the limit count nothing and answer the whole seconds until one
    more event would be allowed. A count of 0 means no limit."""
    limit, window = rate
    if limit <= 0:
        return 0
    rule = Limit(limit, window)
    now = clock() if now is None else now
    current = rule.window(now)
    if isinstance(caches["default"], LocMemCache):
        digest = private_digest(subject)
        with local_counters.lock:
            windows = local_counters.windows(scope, window, current)
            counts = windows.previous.get(digest, 0), windows.current.get(digest, 0)
            if not rule.allows(*counts, now):
                return rule.retry_after(*counts, now)
            local_counters.add_one(windows, digest)
        return 0
    key = private_key(subject)
    current_key, previous_key = f"rl:{scope}:{key}:{current}", f"rl:{scope}:{key}:{current - 1}"
    found = cache.get_many([previous_key, current_key])
    counts = found.get(previous_key, 0), found.get(current_key, 0)
    if not rule.allows(*counts, now):
        return rule.retry_after(*counts, now)
    if not cache.add(current_key, 1, timeout=2 * window + 1):
        try:
            cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.add(current_key, 1, timeout=2 * window + 1)
    return 0


def wants_json(request) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def too_many(request, wait: int, template: str | None = None, context: dict | None = None,
             ) -> HttpResponse:
    """429 Too Many Requests with `Retry-After: <wait>` (from `wait()`): `template`
    rendered with `context` (and `retry_after`) for a page; for a request that prefers
    JSON, or without a template, `{"error": …, "retry_after": <wait>}`."""
    if template is None or wants_json(request):
        response = JsonResponse({
            "error": _("Too many requests. Please wait %(seconds)d seconds and try again.")
            % {"seconds": wait},
            "retry_after": wait,
        }, status=429)
    else:
        response = render(request, template, {**(context or {}), "retry_after": wait},
                          status=429)
    response["Retry-After"] = str(wait)
    return response
