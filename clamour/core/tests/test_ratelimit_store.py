"""The same limits whether counters live in this machine's shared file or in Redis (REDIS_URL)."""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches

from clamour.core import ratelimit
from clamour.lib.ratelimit import Limit

REPO = Path(__file__).resolve().parents[3]

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


def small_table(tmp_path, slots=64):
    return ratelimit.SharedCounters(path=tmp_path / "counters", slots=slots)


def test_counters_of_past_windows_stop_counting(tmp_path):
    counters, rule = small_table(tmp_path), Limit(2, 60)
    start = 1_000_000 * 60.0
    assert [counters.hit("t", b"s", rule, start + i) == 0 for i in range(3)] == [True, True, False]
    # Three windows on, nothing of the old counts is left.
    assert [counters.hit("t", b"s", rule, start + 180 + i) == 0 for i in range(3)] == [True, True, False]


def test_a_crowd_of_new_subjects_keeps_memory_fixed_and_floods_counted(tmp_path):
    counters, rule = small_table(tmp_path), Limit(5, 3600)
    now = 1_000_000 * 3600.0
    for _ in range(5):
        assert counters.hit("t", b"flood", rule, now) == 0
    for n in range(10_000):  # a crowd, each person once: all let through
        assert counters.hit("t", n.to_bytes(4, "big"), rule, now) == 0
    assert counters.hit("t", b"flood", rule, now) > 0  # the flood kept its place
    assert (tmp_path / "counters").stat().st_size == 16 + 64 * 24


def test_when_repeat_subjects_fill_the_table_new_ones_pass_uncounted(tmp_path):
    counters, rule = small_table(tmp_path, slots=16), Limit(2, 60)
    now = 1_000_000 * 60.0
    for n in range(16):
        counters.hit("t", bytes([n]), rule, now)
        counters.hit("t", bytes([n]), rule, now)
    assert all(counters.hit("t", b"new", rule, now) == 0 for _ in range(5))  # never counted
    assert counters.hit("t", bytes([3]), rule, now) > 0  # the repeat ones still are
    assert counters.hit("t", b"new", rule, now + 120) == 0  # expired slots make room


def test_processes_of_one_machine_share_the_counters(tmp_path):
    """Three processes (as granian's web workers are) with one var/ directory: a limit of
    30 lets 30 through in all, not 30 in each."""
    env = {**os.environ, "CLAMOUR_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "clamour.settings"}
    env.pop("REDIS_URL", None)
    env.pop("SECRET_KEY", None)  # one generated and kept in var/, as on a first start
    script = ("import django; django.setup()\n"
              "from clamour.core import ratelimit\n"
              "print(sum(ratelimit.allow('submit-ip', '203.0.113.5', limit=30, window=3600)"
              " for _ in range(30)))\n")
    processes = [subprocess.Popen([sys.executable, "-c", script], env=env, cwd=REPO,
                                  stdout=subprocess.PIPE, text=True) for _ in range(3)]
    allowed = [int(process.communicate(timeout=120)[0]) for process in processes]
    assert sum(allowed) == 30, allowed


def test_processes_starting_together_keep_one_generated_secret(tmp_path):
    """The counters are keyed with SECRET_KEY: processes started at once on a fresh var/
    must all use the one key that was kept, not each its own."""
    env = {**os.environ, "CLAMOUR_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "clamour.settings"}
    env.pop("SECRET_KEY", None)
    script = "import django; django.setup()\nfrom django.conf import settings\nprint(settings.SECRET_KEY)\n"
    processes = [subprocess.Popen([sys.executable, "-c", script], env=env, cwd=REPO,
                                  stdout=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {process.communicate(timeout=120)[0].strip() for process in processes}
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_spike_of_distinct_supporters_is_let_through_in_bounded_memory(store, monkeypatch,
                                                                         tmp_path):
    monkeypatch.setattr(ratelimit, "shared_counters", small_table(tmp_path))
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
