"""Rate-limit arithmetic, with no storage of its own.

A limit is "at most `count` in `seconds`". We count in fixed windows and estimate a
sliding window from the current and previous ones (the approach of Cloudflare's and
nginx's limiters): cheap (two counters per subject), and never lets a burst at a
window boundary double the limit. The caller keeps the counters (Django's cache).

Limits per IP address count under `clamour.lib.iphash.ip_key`, a keyed hash that
rotates daily, never the address itself. No Django imports here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    def __post_init__(self):
        if self.count < 1 or self.seconds < 1:
            raise ValueError("a limit needs a positive count and window")

    @classmethod
    def parse(cls, text: str) -> "Limit":
        """'5/10m' → five in ten minutes; '30/h', '100/1d', '3/45s'."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", text or "")
        if not match:
            raise ValueError(f"a rate limit looks like 5/10m (got {text!r})")
        count, amount, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
        return cls(count, amount * _UNITS[unit])

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
        """Seconds until one more request would be allowed (0 if it is now)."""
        if self.allows(previous, current, now):
            return 0
        elapsed = now % self.seconds
        if current + 1 > self.count:
            return int(self.seconds - elapsed) + 1
        # Wait for enough of the previous window to slide out.
        if previous == 0:
            return int(self.seconds - elapsed) + 1
        needed = (self.count - 1 - current) / previous  # weight we can afford
        target = (1.0 - needed) * self.seconds
        return max(1, int(target - elapsed) + 1)
