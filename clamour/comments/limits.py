"""Comment rate limits, counted in Django's cache (shared through Redis when set).

Per person (a supporter, or the email a guest gives) and per network address. The
address is only ever counted under its keyed daily hash (clamour.lib.iphash), and the
counters expire with their window.
"""

import hashlib
import hmac

from django.conf import settings

from clamour.core import ratelimit
from clamour.core.http import client_ip
from clamour.lib.iphash import ip_key


def person_key(value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"comments|{value}".encode(), hashlib.sha256
    ).hexdigest()[:24]


def take(scope: str, subject: str, rate: tuple[int, int], now: float | None = None) -> bool:
    """Count one event; False (and nothing counted) when it would pass the limit.
    A rate of (0, seconds) means no limit."""
    count, seconds = rate
    return ratelimit.allow(scope, subject, limit=count, window=seconds, now=now)


def may_comment(request, person: str) -> bool:
    """Both limits: the person's and their network address's."""
    address_ok = take("comment-ip", ip_key(client_ip(request)), settings.COMMENTS_RATE_PER_IP)
    return address_ok and take(
        "comment-person", person_key(person), settings.COMMENTS_RATE_PER_PERSON
    )


def may_flag(request) -> bool:
    return take("flag-ip", ip_key(client_ip(request)), (30, 3600))
