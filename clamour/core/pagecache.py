"""Whole-page caching for anonymous visitors of hot pages.

When a campaign goes viral most requests are the same page for people who are not
logged in. Each app process renders such a page at most once per COUNT_INTERVAL (one
thread renders it while the others go on serving the previous copy) and serves the
stored bytes to everyone else. The page is the same for all of them: its forms carry
no per-visitor CSRF token (their views are protected by `core.origin` instead), and
only a few escaped values such as a referral code are put in per request, when a
request has them. Logged-in visitors (a session cookie) always get a fresh page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language

from . import localcache

# The context variable that tells templates they render the page shared by everyone
# (nothing about the person, no CSRF token).
SHARED_PAGE = "shared_page"


def shared_page_context() -> dict:
    return {SHARED_PAGE: True}


def is_anonymous_visit(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_cache_key(name: str) -> str:
    return f"page:{get_language()}:{name}"


@dataclass(frozen=True)
class Page:
    body: bytes  # with the placeholders
    plain: bytes  # with every placeholder left empty: what most visitors get
    content_type: str
    cache_control: str


class _NotStored(Exception):
    def __init__(self, response):
        self.response = response


def cached_page(request, name: str, build, substitutions: dict[str, str] | None = None):
    """Serve page `name` from the cache, building it with `build()` on a miss.

    `build()` returns an HttpResponse rendered with `shared_page_context()` and with the
    keys of `substitutions` as placeholders; only a 200 is stored.
    """
    substitutions = substitutions or {}

    def render():
        response = build()
        if response.status_code != 200:
            raise _NotStored(response)
        plain = response.content
        for placeholder in substitutions:
            plain = plain.replace(placeholder.encode(), b"")
        add_cache_headers(response)
        return Page(response.content, plain, response["Content-Type"], response["Cache-Control"])

    try:
        page = localcache.pages.get_or_set(
            page_cache_key(name), render, settings.COUNT_INTERVAL,
            stale_for=settings.COUNT_INTERVAL * 15,
        )
    except _NotStored as refused:
        return refused.response
    body = page.plain
    if any(substitutions.values()):
        body = page.body
        for placeholder, value in substitutions.items():
            body = body.replace(placeholder.encode(), escape(value).encode())
    response = HttpResponse(body, content_type=page.content_type)
    response["Cache-Control"] = page.cache_control
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
