import pytest

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
