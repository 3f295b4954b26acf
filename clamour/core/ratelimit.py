"""Rate limits kept in a file shared by this machine's processes, or in Django's cache
(shared between machines with Redis).

`wait("submit-ip", subject, (30, 60))` counts one event and answers 0 when it is within
"30 in any 60 seconds", estimated over a sliding window from two fixed-window counters
(the arithmetic is in clamour.lib.ratelimit); past the limit it counts nothing and
answers the seconds until one more event would be allowed. `too_many(request, wait, …)`
is the 429 for that, with `Retry-After: <wait>`: the page's template for a page, JSON
for a request that asks for JSON. Every rate-limited view does

    if wait := ratelimit.wait("submit-ip", ip_key(client_ip(request)), settings.SUBMIT_RATE_PER_IP):
        return ratelimit.too_many(request, wait, "actions/too_many.html", {...})

Subjects are hashed with the site's secret before they are stored, so no store ever
holds an email address; callers pass IP addresses as clamour.lib.iphash.ip_key.
"""

import fcntl
import hashlib
import mmap
import os
import struct
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


class SharedCounters:
    """The counters without Redis: a fixed-size hash table in a file in VAR_DIR, mapped
    into the memory of every process of this machine (granian's web workers), so that a
    limit holds for the machine, not for each process. A check takes the file's lock
    (flock; a thread lock within the process), reads and writes one slot, and lets go.

    Each slot holds one subject of one scope: an 8-byte fingerprint of both, the
    number of its current fixed window, the counts of that window and the one before,
    and when the slot stops mattering (two windows on). A subject is looked for in
    PROBE slots from the one its fingerprint names. Memory stays fixed however many
    people a spike brings: a new subject takes an empty or expired slot, else the slot
    of a subject seen only once; if there is none, it is let through uncounted: a rate
    limit must not turn away a crowd of real people because it ran out of room, and a
    flood is one subject seen again and again, so it keeps its slot.
    """

    MAGIC = b"CLRL0001"
    HEADER = struct.Struct("<8sQ")  # magic, slots
    SLOT = struct.Struct("<QIIII")  # fingerprint, window number, current, previous, expires
    PROBE = 16

    def __init__(self, path=None, slots: int = 1 << 17):
        self.path = path
        self.slots = slots
        self.lock = threading.Lock()
        self._pid = None
        self._fd = None
        self._map = None

    def _file(self):
        """The mapped table of this process (opened again after a fork: a lock on an
        inherited file would be shared with the parent)."""
        if self._pid == os.getpid():
            return self._map
        path = self.path or settings.VAR_DIR / "ratelimit.counters"
        size = self.HEADER.size + self.slots * self.SLOT.size
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_size != size or os.pread(fd, 8, 0) != self.MAGIC:
                os.ftruncate(fd, 0)  # a new file, or one of another size: start empty
                os.ftruncate(fd, size)
                os.pwrite(fd, self.HEADER.pack(self.MAGIC, self.slots), 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        self._fd, self._map, self._pid = fd, mmap.mmap(fd, size), os.getpid()
        return self._map

    def hit(self, scope: str, digest: bytes, rule: Limit, now: float) -> int:
        """Count one event of `digest` in `scope` under `rule` and answer 0; past the
        limit count nothing and answer the seconds until one more would be allowed."""
        fingerprint = int.from_bytes(hashlib.blake2b(
            b"%s|%d|%s" % (scope.encode(), rule.seconds, digest), digest_size=8).digest(),
            "little") or 1
        number = rule.window(now)
        expires = int((number + 2) * rule.seconds)
        unpack, pack, size, base = (self.SLOT.unpack_from, self.SLOT.pack_into,
                                    self.SLOT.size, self.HEADER.size)
        with self.lock:
            table = self._file()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                free = spare = None
                first = fingerprint % self.slots
                for i in range(self.PROBE):
                    offset = base + ((first + i) % self.slots) * size
                    found, window, current, previous, until = unpack(table, offset)
                    if found == fingerprint:
                        if window != number:
                            previous = current if window == number - 1 else 0
                            current = 0
                        if not rule.allows(previous, current, now):
                            return rule.retry_after(previous, current, now)
                        pack(table, offset, fingerprint, number, current + 1, previous, expires)
                        return 0
                    if free is None and (found == 0 or until <= now):
                        free = offset
                    elif spare is None and current + previous == 1:
                        spare = offset  # a subject seen once: forgotten first
                if not rule.allows(0, 0, now):
                    return rule.retry_after(0, 0, now)
                slot = free if free is not None else spare
                if slot is not None:
                    pack(table, slot, fingerprint, number, 1, 0, expires)
                return 0
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def clear(self):
        with self.lock:
            table = self._file()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                table[self.HEADER.size:] = bytes(len(table) - self.HEADER.size)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


shared_counters = SharedCounters()

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
        return shared_counters.hit(scope, private_digest(subject), rule, now)
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
