from clamour.lib.reldate import DAY, HOUR, MINUTE, YEAR, relative


def test_relative_units():
    assert relative(-5) == ("now", 0)
    assert relative(10) == ("now", 0)
    assert relative(50) == ("minute", 0) or relative(50) == ("minute", 1)
    assert relative(5 * MINUTE + 3) == ("minute", 5)
    assert relative(2 * HOUR + 59 * MINUTE) == ("hour", 2)
    assert relative(DAY) == ("day", 1)
    assert relative(10 * DAY) == ("week", 1)
    assert relative(65 * DAY) == ("month", 2)
    assert relative(11 * YEAR + 3 * DAY) == ("year", 11)
