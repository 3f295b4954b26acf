"""When to try an email again after the mail relay failed for a while.

A temporary failure (a 4xx reply, a relay that is down or unreachable) is tried again
after DELIVERY_RETRY_BASE_SECONDS, then twice that, and so on up to
DELIVERY_RETRY_MAX_SECONDS between tries, for DELIVERY_RETRY_HOURS since the first
failure: an outage of hours, or a weekend, delays mail but loses none. Only a
permanent refusal (5xx), or a relay still failing when the window has passed, ends it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th try: base, 2×base, 4×base, … capped."""
    seconds = settings.DELIVERY_RETRY_BASE_SECONDS * (2 ** min(max(0, attempts - 1), 30))
    return timedelta(seconds=min(seconds, settings.DELIVERY_RETRY_MAX_SECONDS))


def next_attempt(attempts: int, since: datetime, now: datetime | None = None) -> datetime | None:
    """When to try again after the `attempts`-th try failed for a passing reason, the
    first failure having been at `since`; None once the retry window has passed."""
    now = now or timezone.now()
    if now - since >= timedelta(hours=settings.DELIVERY_RETRY_HOURS):
        return None
    return now + retry_delay(attempts)
