"""Which supporter is using the site: kept in the session after a log-in link.

Supporters are not Django users (staff are): a supporter logs in by email link, and
the session then remembers their id. Everything that needs "the supporter making this
request" calls current_supporter(request). A supporter whose data has been erased is
logged out everywhere: their sessions no longer find them.
"""

from .models import Supporter

SESSION_KEY = "clamour_supporter_id"


def current_supporter(request) -> Supporter | None:
    if not hasattr(request, "_clamour_supporter"):
        supporter_id = request.session.get(SESSION_KEY)
        request._clamour_supporter = (
            Supporter.objects.active().filter(pk=supporter_id).first() if supporter_id else None
        )
    return request._clamour_supporter


def log_in(request, supporter: Supporter) -> None:
    """Start a supporter session; a new session key stops session fixation."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = supporter.pk
    request._clamour_supporter = supporter


def log_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._clamour_supporter = None
