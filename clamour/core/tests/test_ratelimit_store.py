"""The same limits whether counters live in this process or in Redis (REDIS_URL)."""

import threading
import uuid

import pytest
from django.core.cache import caches

from clamour.core import ratelimit
from clamour.lib.ratelimit import Limit

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


def test_counters_of_past_windows_are_dropped_whole():
    counters = ratelimit.LocalCounters()
    for number in range(5):
        counters.add_one(counters.windows("t", 60, number), f"s{number}".encode())
    windows = counters.windows("t", 60, 4)
    assert windows.current == {b"s4": 1} and windows.previous == {b"s3": 1}
    assert counters.windows("t", 60, 9).previous == {}  # windows in between: nothing kept


def test_a_crowd_of_new_subjects_keeps_memory_bounded_and_floods_counted():
    counters = ratelimit.LocalCounters(max_subjects=100)
    windows = counters.windows("t", 3600, 1)
    for _ in range(5):
        counters.add_one(windows, b"flood")
    for n in range(10_000):  # a crowd, each person once
        counters.add_one(windows, n.to_bytes(4, "big"))
        assert len(windows.current) <= 100
    assert windows.current[b"flood"] == 5 and not windows.full


def test_when_repeat_subjects_fill_a_window_new_ones_pass_uncounted():
    counters = ratelimit.LocalCounters(max_subjects=10)
    windows = counters.windows("t", 60, 1)
    for n in range(10):
        counters.add_one(windows, bytes([n]))
        counters.add_one(windows, bytes([n]))
    counters.add_one(windows, b"new")
    assert windows.full and b"new" not in windows.current and len(windows.current) == 10
    assert counters.windows("t", 60, 2).full is False  # the next window starts with room


def test_a_spike_of_distinct_supporters_is_let_through_in_bounded_memory(store, monkeypatch):
    monkeypatch.setattr(ratelimit, "local_counters", ratelimit.LocalCounters(max_subjects=50))
    now = 1_000_000 * 3600.0
    assert all(ratelimit.allow("crowd", f"person{n}@example.org", limit=1, window=3600, now=now)
               for n in range(500))
    assert not ratelimit.allow("crowd", "person499@example.org", limit=1, window=3600, now=now)


def test_wait_is_the_remaining_wait_in_either_store(store):
    subject = uuid.uuid4().hex
    start = 1_000_000 * 60.0 + 15  # 15 s into a 60-second window
    assert [ratelimit.wait("w", subject, (3, 60), now=start + i) for i in range(3)] == [0, 0, 0]
    wait = ratelimit.wait("w", subject, (3, 60), now=start + 3)
    assert wait == Limit(3, 60).retry_after(0, 3, start + 3) == 63
    assert ratelimit.wait("w", subject, (3, 60), now=start + 3 + wait - 2) > 0
    assert ratelimit.wait("w", subject, (3, 60), now=start + 3 + wait) == 0
