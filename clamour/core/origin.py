"""Cross-site request protection by the browser's own headers, for forms on shared pages.

The campaign page and blog posts are served from one cached copy to every visitor
without a session. A per-visitor CSRF token would make each copy different (and cost
a token per request in a refresh storm), so the forms on those pages (taking the
action, commenting) are protected instead as Go's net/http CrossOriginProtection does:

* `Sec-Fetch-Site` (sent by every current browser) must say `same-origin` or `none`
  (typed or bookmarked); `same-site`, `cross-site` and anything else are refused;
* without it, an `Origin` header must be this site's own origin (the request's host,
  SITE_URL's, or one listed in CSRF_TRUSTED_ORIGINS);
* a request with neither header is not from a browser that could be tricked into
  sending it, and is allowed.

The session cookie is also SameSite=Lax, so a cross-site POST would not carry a
logged-in supporter's session in the first place. Every other form keeps Django's
token check.
"""

from functools import lru_cache, wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def cross_origin_refusal(request: HttpRequest) -> str | None:
    """Why this request must be refused as coming from another site, or None."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return None
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return None
        return f"The form was sent from another site (Sec-Fetch-Site: {fetch_site})."
    if origin is None:
        return None
    if origin in (f"{request.scheme}://{request.get_host()}", _origin_of(settings.SITE_URL)):
        return None
    return "The form was sent from another site (Origin does not match)."


@lru_cache(maxsize=8)
def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def same_origin_only(view):
    """Exempt `view` from the token check and refuse cross-site requests by their headers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        reason = cross_origin_refusal(request)
        if reason is not None:
            return csrf_failure(request, reason=reason)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
