"""Whole-page caching for anonymous visitors of hot pages.

When a campaign goes viral most requests are the same page for people who are not
logged in. Each app process renders such a page at most once per COUNT_INTERVAL and
serves the stored HTML to everyone else, putting in only what differs per request:
the CSRF token (rendered as a placeholder) and a few escaped values such as a referral
code. Logged-in visitors (a session cookie) always get a fresh page.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__clamour_csrf_token__"


def is_anonymous_visit(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_cache_key(name: str) -> str:
    return f"page:{get_language()}:{name}"


def cached_page(request, name: str, build, substitutions: dict[str, str] | None = None):
    """Serve page `name` from the cache, building it with `build()` on a miss.

    `build()` returns an HttpResponse rendered with CSRF_PLACEHOLDER as its CSRF token
    and the keys of `substitutions` as placeholders; only a 200 is stored.
    """
    key = page_cache_key(name)
    entry = cache.get(key)
    if entry is None:
        response = build()
        if response.status_code != 200:
            return response
        entry = (response.content.decode(), response["Content-Type"])
        cache.set(key, entry, timeout=settings.COUNT_INTERVAL)
    html, content_type = entry
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    for placeholder, value in (substitutions or {}).items():
        html = html.replace(placeholder, escape(value))
    response = HttpResponse(html, content_type=content_type)
    add_cache_headers(response)
    return response


def add_cache_headers(response, public=False):
    """Let browsers and proxies reuse a response for COUNT_INTERVAL seconds, serve it
    stale while they fetch a new one, and fall back to it when we are down."""
    patch_cache_control(
        response,
        public=public or None,
        max_age=settings.COUNT_INTERVAL,
        stale_while_revalidate=settings.COUNT_INTERVAL * 15,
        stale_if_error=86400,
    )
    return response
