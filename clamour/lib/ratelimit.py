"""Rate-limit arithmetic, with no storage of its own.

A limit is "at most `count` in `seconds`". We count in fixed windows and estimate a
sliding window from the current and previous ones (the approach of Cloudflare's and
nginx's limiters): cheap (two counters per subject), and never lets a burst at a
window boundary double the limit. The caller keeps the counters (Django's cache).

Limits per IP address count under `clamour.lib.iphash.ip_key`, a keyed hash that
rotates daily, never the address itself. No Django imports here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    def __post_init__(self):
        if self.count < 1 or self.seconds < 1:
            raise ValueError("a limit needs a positive count and window")

    def window(self, now: float) -> int:
        """The number of the fixed window `now` (seconds since the epoch) falls in."""
        return int(now // self.seconds)

    def estimate(self, previous: int, current: int, now: float) -> float:
        """Requests in the sliding window ending at `now`, from the counts of the
        previous and current fixed windows: the previous one weighted by how much of it
        the sliding window still covers."""
        elapsed = (now % self.seconds) / self.seconds
        return previous * (1.0 - elapsed) + current

    def allows(self, previous: int, current: int, now: float) -> bool:
        """Whether one more request is within the limit."""
        return self.estimate(previous, current, now) + 1 <= self.count

    def retry_after(self, previous: int, current: int, now: float) -> int:
        """Whole seconds until one more request would be allowed (0 if it is now),
        if nothing more is counted meanwhile (refused requests are not): the value
        for a Retry-After header. Rounded up, so waiting this long is always enough.
        """
        if self.allows(previous, current, now):
            return 0
        elapsed = (now % self.seconds) / self.seconds  # of the current window
        if current + 1 <= self.count:
            # Enough of the previous window slides out before this one ends.
            at = 1.0 - (self.count - 1 - current) / previous
        else:
            # Not in this window: in the next, this window's count is the previous one,
            # and enough of it must slide out.
            at = 1.0 + max(0.0, 1.0 - (self.count - 1) / current)
        # A hair over, so a wait computed just under a whole second rounds past it.
        return max(1, int((at - elapsed) * self.seconds + 1e-6) + 1)
