"""Small request helpers shared by the apps."""

from django.conf import settings


def client_ip(request) -> str:
    """The address of the person making the request.

    X-Forwarded-For is believed only when the direct peer is a proxy we trust
    (TRUSTED_PROXIES); then the right-most address that is not itself a trusted proxy
    is the client. Anyone can send the header, so believing it otherwise would let one
    machine pretend to be many.
    """
    return address_of(request.META.get("REMOTE_ADDR", ""),
                      request.META.get("HTTP_X_FORWARDED_FOR", ""))


def address_of(peer: str, forwarded: str) -> str:
    """client_ip's rule, from the direct peer and the X-Forwarded-For header."""
    trusted = settings.TRUSTED_PROXIES
    if not trusted or peer not in trusted:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return peer
