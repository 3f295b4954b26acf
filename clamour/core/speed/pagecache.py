"""Whole-page caching for anonymous visitors of hot pages.

When a campaign goes viral most requests are the same page for people who are not
logged in. Each app process renders such a page at most once per COUNT_INTERVAL (one
thread renders it while the others go on serving the previous copy) and serves the
stored bytes to everyone else. The page is the same for all of them: its forms carry
no per-visitor CSRF token (their views are protected by `core.origin` instead), and
only a few escaped values such as a referral code are put in per request, when a
request has them. Logged-in visitors (a session cookie) always get a fresh page.

A page may have a few variants chosen by its query string (`?country=FR`,
`?comments=newest`). The view turns the query string into a short variant name from a
fixed set (a known country code, a known comment order; anything else is the plain
page), so the copies stay few whatever the links say, and a spike through a shared
link to one variant is served from the cache like the plain page.

What it buys: the campaign page served about as fast as a trivial GET during a spike
(the bar "campaign page req/s ÷ trivial GET req/s"). Measured in bench/RESULTS.md, the
re-measured table, "What changed between `4dd5880` and `1bc8582`" (ffcfc84) and
"Campaign page variants from a link".
"""

import gzip
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language

from clamour.lib import gzjoin

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
    parts: tuple  # the page as literal bytes and, between them, placeholder names (str)
    pieces: tuple  # each literal's deflate piece (gzjoin), None for a placeholder
    plain: bytes  # with every placeholder left empty: what most visitors get
    plain_gzip: bytes
    content_type: str
    cache_control: str

    @classmethod
    def of(cls, body: bytes, placeholders, content_type: str, cache_control: str) -> "Page":
        if placeholders:
            pattern = b"(" + b"|".join(re.escape(p.encode()) for p in placeholders) + b")"
            parts = tuple(part if n % 2 == 0 else part.decode()
                          for n, part in enumerate(re.split(pattern, body)))
        else:
            parts = (body,)
        plain = b"".join(part for part in parts if isinstance(part, bytes))
        return cls(
            parts=parts,
            pieces=tuple(gzjoin.deflate_piece(part) if isinstance(part, bytes) else None
                         for part in parts),
            plain=plain,
            plain_gzip=gzip.compress(plain, gzjoin.LEVEL, mtime=0),
            content_type=content_type,
            cache_control=cache_control,
        )

    def body(self, values: dict[str, bytes], gzipped: bool) -> bytes:
        """The page with `values` (placeholder → escaped bytes) put in, gzipped or not."""
        if not any(values.values()):
            return self.plain_gzip if gzipped else self.plain
        data = b"".join(values[part] if isinstance(part, str) else part for part in self.parts)
        if not gzipped:
            return data
        return gzjoin.join(
            (gzjoin.deflate_piece(values[part], 1) if piece is None else piece
             for part, piece in zip(self.parts, self.pieces)),
            data,
        )


class _NotStored(Exception):
    def __init__(self, response):
        self.response = response


# As Django's GZipMiddleware decides.
accepts_gzip = re.compile(r"\bgzip\b").search


def cached_page(request, name: str, build, substitutions: dict[str, str] | None = None,
                variant: str = ""):
    """Serve page `name` from the cache, building it with `build()` on a miss.

    `variant` names one of the page's few query-string variants, from a fixed set the
    caller checked (never text from the request as it came); "" is the plain page.

    `build()` returns an HttpResponse rendered with `shared_page_context()` and with the
    keys of `substitutions` as placeholders; only a 200 is stored. Browsers that accept
    gzip get the page compressed (under a third of the bytes): the fixed parts are compressed
    once per render, only the substituted values per request.
    """
    substitutions = substitutions or {}

    def render():
        response = build()
        if response.status_code != 200:
            raise _NotStored(response)
        add_cache_headers(response)
        return Page.of(response.content, list(substitutions),
                       response["Content-Type"], response["Cache-Control"])

    try:
        store, key = (
            (localcache.variants, f"{page_cache_key(name)}?{variant}")
            if variant else (localcache.pages, page_cache_key(name))
        )
        page = store.get_or_set(
            key, render, settings.COUNT_INTERVAL,
            stale_for=settings.COUNT_INTERVAL * 15,
        )
    except _NotStored as refused:
        return refused.response
    gzipped = bool(accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    values = {placeholder: escape(value).encode() if value else b""
              for placeholder, value in substitutions.items()}
    response = HttpResponse(page.body(values, gzipped), content_type=page.content_type)
    response["Cache-Control"] = page.cache_control
    # What a shared cache must tell apart: compressed or not, and logged in or not.
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return response


def add_cache_headers(response):
    """Let browsers and shared caches reuse a response (the same bytes for every
    anonymous visitor) for COUNT_INTERVAL seconds, serve it stale while they fetch a new
    one, and fall back to it when we are down."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.COUNT_INTERVAL,
        stale_while_revalidate=settings.COUNT_INTERVAL * 15,
        stale_if_error=86400,
    )
    return response
