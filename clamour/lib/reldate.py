"""Relative dates: "just now", "5 minutes ago", "2 hours ago", "11 years ago".

`relative(seconds)` picks one unit and a whole number; the caller words it in the
reader's language. Months are 30 days and years 365 days: close enough for a date
whose exact value is shown on hover. No Django imports here.
"""

from __future__ import annotations

MINUTE, HOUR, DAY = 60, 3600, 86400
WEEK, MONTH, YEAR = 7 * DAY, 30 * DAY, 365 * DAY

_STEPS = [
    (YEAR, "year"),
    (MONTH, "month"),
    (WEEK, "week"),
    (DAY, "day"),
    (HOUR, "hour"),
    (MINUTE, "minute"),
]


def relative(seconds: float) -> tuple[str, int]:
    """How long ago `seconds` is, as (unit, n): ("now", 0), ("minute", 5), ("year", 11).

    Negative values (a clock a little ahead) count as now.
    """
    seconds = max(0.0, seconds)
    if seconds < 45:
        return ("now", 0)
    for size, unit in _STEPS:
        if seconds >= size:
            return (unit, int(seconds // size))
    return ("minute", 1)
