"""A keyed, rotating hash of an IP address, so rate limits never need the address itself.

    ip_key("203.0.113.7")  ->  "6f1c…" (32 hex characters)

How it rotates: each UTC day has its own key, HMAC-SHA256(SECRET_KEY, "clamour.iphash|"
+ date), and an address's hash is HMAC-SHA256(day key, address). The same address gives
the same hash all day (so a limit "20 an hour" works) and a different, unrelated hash the
next day (so hashes kept anywhere cannot be joined across days). Nothing needs storing
or deleting for the rotation. The hash is only as secret as SECRET_KEY: someone holding
the key could test guesses of an address against a hash of the same day, so hashes are
kept only as long as a rate-limit window needs them, never in long-lived records.

IPv6 addresses are cut to their /64 network first: one household or phone gets a whole
/64 and could otherwise dodge a per-address limit by changing the last bits.

No Django import at module level; the secret defaults to settings.SECRET_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime
from functools import lru_cache


def normalise_ip(ip: str) -> str:
    """An IPv4 address as is, an IPv6 address as its /64 network; junk as given."""
    text = (ip or "").strip()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text.lower()
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def day_key(secret: str, now: datetime | None = None) -> bytes:
    day = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d")
    return _day_key(secret, day)


@lru_cache(maxsize=8)
def _day_key(secret: str, day: str) -> bytes:
    return hmac.new(secret.encode(), f"clamour.iphash|{day}".encode(), hashlib.sha256).digest()


def ip_key(ip: str, now: datetime | None = None, *, secret: str | None = None) -> str:
    """The hash of `ip` for the day of `now` (default: today, UTC)."""
    if secret is None:
        from django.conf import settings

        secret = settings.SECRET_KEY
    digest = hmac.new(day_key(secret, now), normalise_ip(ip).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
