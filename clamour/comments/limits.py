"""Comment rate limits, counted in Django's cache (shared through Redis when set).

Per person (a supporter, or the email a guest gives) and per network address. The
address is only ever counted under its keyed daily hash (clamour.lib.iphash), and the
counters expire with their window.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from clamour.core.http import client_ip
from clamour.lib.iphash import ip_key
from clamour.lib.ratelimit import Limit


def person_key(value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"comments|{value}".encode(), hashlib.sha256
    ).hexdigest()[:24]


def take(scope: str, subject: str, rate: tuple[int, int], now: float | None = None) -> bool:
    """Count one event; False (and nothing counted) when it would pass the limit.
    A rate of (0, seconds) means no limit."""
    count, seconds = rate
    if count <= 0:
        return True
    limit = Limit(count, seconds)
    now = time.time() if now is None else now
    window = limit.window(now)
    current_key = f"crl:{scope}:{subject}:{window}"
    previous_key = f"crl:{scope}:{subject}:{window - 1}"
    counts = cache.get_many([previous_key, current_key])
    if not limit.allows(counts.get(previous_key, 0), counts.get(current_key, 0), now):
        return False
    if not cache.add(current_key, 1, timeout=2 * seconds + 1):
        try:
            cache.incr(current_key)
        except ValueError:
            cache.add(current_key, 1, timeout=2 * seconds + 1)
    return True


def may_comment(request, person: str) -> bool:
    """Both limits: the person's and their network address's."""
    address_ok = take("comment-ip", ip_key(client_ip(request)), settings.COMMENTS_RATE_PER_IP)
    return address_ok and take(
        "comment-person", person_key(person), settings.COMMENTS_RATE_PER_PERSON
    )


def may_flag(request) -> bool:
    return take("flag-ip", ip_key(client_ip(request)), (30, 3600))
