import threading
import time

import pytest

from clamour.core.speed.localcache import TTLCache


def test_one_thread_builds_while_the_others_wait_for_it():
    cache = TTLCache()
    builds = []
    gate = threading.Event()

    def build():
        builds.append(1)
        gate.wait(5)
        return "page"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_set("k", build, 60)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert results == ["page"] * 8 and len(builds) == 1


def test_an_expired_copy_is_served_while_one_thread_rebuilds_it():
    cache = TTLCache()
    cache.get_or_set("k", lambda: "old", 0.01, stale_for=60)
    time.sleep(0.02)
    rebuilding, release = threading.Event(), threading.Event()

    def slow_build():
        rebuilding.set()
        release.wait(5)
        return "new"

    builder = threading.Thread(target=lambda: cache.get_or_set("k", slow_build, 60, stale_for=60))
    builder.start()
    assert rebuilding.wait(5)
    assert cache.get_or_set("k", lambda: pytest.fail("built twice"), 60, stale_for=60) == "old"
    release.set()
    builder.join(5)
    assert cache.get_or_set("k", lambda: "never", 60) == "new"


def test_too_old_a_copy_is_not_served():
    cache = TTLCache()
    cache.get_or_set("k", lambda: "old", 0.01, stale_for=0.01)
    time.sleep(0.03)
    assert cache.get_or_set("k", lambda: "new", 60, stale_for=60) == "new"


def test_a_failed_build_stores_nothing():
    cache = TTLCache()
    with pytest.raises(ValueError):
        cache.get_or_set("k", lambda: (_ for _ in ()).throw(ValueError("down")), 60)
    assert cache.get_or_set("k", lambda: "up", 60) == "up"


def test_the_number_of_entries_is_bounded():
    cache = TTLCache(max_entries=3)
    for n in range(10):
        cache.get_or_set(n, lambda n=n: n, 60 + n)
    assert len(cache._data) == 3 and len(cache._building) <= 4
    assert cache.get_or_set(9, lambda: "rebuilt", 60) == 9  # the newest stay
    assert cache.get_or_set(0, lambda: "rebuilt", 60) == "rebuilt"
