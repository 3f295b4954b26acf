import pytest
from hypothesis import given
from hypothesis import strategies as st

from clamour.lib.ratelimit import Limit


def test_sliding_estimate_weights_the_previous_window():
    limit = Limit(10, 100)
    assert limit.estimate(previous=10, current=0, now=1000) == 10  # start of a window
    assert limit.estimate(previous=10, current=2, now=1050) == 7  # half of it slid out
    assert limit.estimate(previous=10, current=2, now=1099.999) == pytest.approx(2, abs=0.01)


def test_allows_up_to_the_count_and_no_more():
    limit = Limit(3, 60)
    assert limit.allows(0, 0, 0) and limit.allows(0, 2, 0)
    assert not limit.allows(0, 3, 0)
    # A burst at the end of one window still counts at the start of the next.
    assert not limit.allows(previous=3, current=0, now=60.5)
    assert limit.allows(previous=3, current=0, now=60 + 25)


def test_retry_after():
    limit = Limit(3, 60)
    assert limit.retry_after(0, 0, 10) == 0
    # Three in this window: it ends in 50 s, then a third of the next must pass before
    # one of the three has slid out (rounded up to a whole second, and one more).
    assert limit.retry_after(0, 3, 10) == 71
    wait = limit.retry_after(3, 0, 60.5)
    assert limit.allows(3, 0, 60.5 + wait)


def counts_at(limit, previous, current, now, later):
    """The two counters at `later` when nothing more was counted since `now`."""
    turned = limit.window(later) - limit.window(now)
    return {0: (previous, current), 1: (current, 0)}.get(turned, (0, 0))


@given(st.integers(0, 50), st.integers(0, 50), st.floats(0, 10_000, allow_nan=False),
       st.sampled_from([(20, 60), (3, 60), (1, 3600), (5, 600)]))
def test_retry_after_is_the_remaining_wait(previous, current, now, rule):
    """Waiting `retry_after` seconds is enough, even across the window's end, and a
    second less is not (so Retry-After is the real wait, not the whole window)."""
    limit = Limit(*rule)
    wait = limit.retry_after(previous, current, now)
    later = now + wait
    assert limit.allows(*counts_at(limit, previous, current, now, later), later)
    if wait > 1:
        sooner = now + wait - 1.001
        assert not limit.allows(*counts_at(limit, previous, current, now, sooner), sooner)
