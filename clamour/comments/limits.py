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


def comment_wait(request, person: str) -> int:
    """Both limits, the network address's first, then the person's: 0 when this
    comment may go (counted), else the seconds to wait (ratelimit.wait)."""
    address_wait = ratelimit.wait(
        "comment-ip", ip_key(client_ip(request)), settings.COMMENTS_RATE_PER_IP
    )
    return address_wait or ratelimit.wait(
        "comment-person", person_key(person), settings.COMMENTS_RATE_PER_PERSON
    )


FLAG_RATE_PER_IP = (30, 3600)


def flag_wait(request) -> int:
    return ratelimit.wait("flag-ip", ip_key(client_ip(request)), FLAG_RATE_PER_IP)
