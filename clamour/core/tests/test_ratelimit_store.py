"""The same limits whether counters live in this process or in Redis (REDIS_URL)."""

import threading
import uuid

import pytest
from django.core.cache import caches

from clamour.core import ratelimit

REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/15"}}


@pytest.fixture(params=["process", "redis"])
def store(request, settings):
    if request.param == "redis":
        settings.CACHES = REDIS
        try:
            caches["default"].get("ping")
        except Exception as exc:  # the machine is meant to run Redis: say so loudly
            pytest.fail(f"Redis at 127.0.0.1:6379 is not answering: {exc}")
    yield request.param
    if request.param == "redis":
        caches["default"].clear()


def test_a_limit_holds_and_slides(store):
    subject = uuid.uuid4().hex
    start = 1_000_000 * 60.0  # the start of a 60-second window
    assert [ratelimit.allow("t", subject, limit=3, window=60, now=start + i) for i in range(4)] \
        == [True, True, True, False]
    # Half way through the next window half of the previous one still counts: 1.5 + 1 ≤ 3.
    assert ratelimit.allow("t", subject, limit=3, window=60, now=start + 90)
    assert not ratelimit.allow("t", subject, limit=3, window=60, now=start + 91)
    # Two windows on, the slate is clean; other subjects and scopes were never affected.
    assert ratelimit.allow("t", subject, limit=3, window=60, now=start + 180)
    assert ratelimit.allow("other", subject, limit=3, window=60, now=start + 3)


def test_threads_at_once_get_exactly_the_limit_in_this_process():
    subject, results = uuid.uuid4().hex, []
    barrier = threading.Barrier(20)

    def hit():
        barrier.wait()
        results.append(ratelimit.allow("t", subject, limit=7, window=60))

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert results.count(True) == 7


def test_expired_counters_are_dropped():
    counters = ratelimit.LocalCounters()
    counters.add_one("a", now=0, timeout=10)
    counters.add_one("b", now=100, timeout=10)  # purges "a", long expired
    assert counters.count("a", now=100) == 0 and counters.count("b", now=100) == 1
    assert list(counters._counts) == ["b"]
