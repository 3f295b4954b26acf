"""Behaviour under overload: answer fast with 503 and Retry-After, never hang, never 500."""

import logging
import threading

from django.conf import settings
from django.db import OperationalError
from django.db.utils import InterfaceError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import health

logger = logging.getLogger(__name__)


def overloaded(retry_after: int | None = None) -> HttpResponse:
    """The response for "too busy right now": tiny, uncached, with Retry-After."""
    response = HttpResponse(
        _("We are very busy right now. Nothing was recorded: please try again in a few seconds."),
        status=503, content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after or settings.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def is_overload_error(exc: BaseException) -> bool:
    """Database errors that mean "too busy" or "cannot write now" (the disk is full)
    rather than "broken code"."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if health.cannot_write(exc):
        return True
    text = str(exc).lower()
    return any(sign in text for sign in (
        "database is locked", "database table is locked", "timeout", "timed out",
        "too many clients", "connection", "could not connect", "server closed",
        "canceling statement", "lock",
    ))


class LoadShedMiddleware:
    """Refuse work this process cannot start promptly, and turn database overload
    (a lock not granted in time, no free connection) into a 503.

    MAX_IN_FLIGHT caps the requests one process works on at once; past it a request
    gets a 503 at once instead of queueing behind the others. A submission that failed
    this way was never committed, so the person is told to try again, never thanked.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_IN_FLIGHT
        self.lock = threading.Lock()
        self.in_flight = 0

    def __call__(self, request):
        with self.lock:
            if self.limit and self.in_flight >= self.limit:
                shed = True
            else:
                shed = False
                self.in_flight += 1
        if shed:
            return overloaded()
        try:
            return self.get_response(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    def process_exception(self, request, exc):
        if is_overload_error(exc):
            if health.cannot_write(exc):
                health.note_write_failure()
                logger.error("Cannot write: %s %s: %s", request.method, request.path, exc)
            else:
                logger.warning("Shedding %s %s: %s", request.method, request.path, exc)
            return overloaded()
        return None


class PreferredLanguageMiddleware:
    """Send a visitor of an English (unprefixed) public page to the same page in the
    language they chose before (the language cookie) or, on a first visit, the first
    language their browser asks for that we have (Accept-Language).

    Only pages are redirected (GET or HEAD of a path ending in "/" that exists under a
    language prefix); machine addresses (count.json, feeds' files, healthz) and pages
    outside the language prefixes (/admin/, /staff/) answer as they are. A page under a
    prefix (/fr/…) is always served in that language: it is what a shared link means.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self.redirect_for(request)
        if redirect is not None:
            return redirect
        return self.get_response(request)

    @staticmethod
    def redirect_for(request):
        if request.method not in ("GET", "HEAD") or not request.path_info.endswith("/"):
            return None
        if translation.get_language_from_path(request.path_info):
            return None  # already in a language
        wanted = translation.get_language_from_request(request, check_path=False)
        if wanted == settings.LANGUAGE_CODE:
            return None
        path = language_path(request.path_info, wanted)
        if path is None:
            return None
        query = request.META.get("QUERY_STRING", "")
        prefix = get_script_prefix().rstrip("/")
        response = HttpResponseRedirect(prefix + path + (f"?{query}" if query else ""))
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response["Cache-Control"] = "private, max-age=0"
        return response


def language_path(path: str, code: str) -> str | None:
    """`path` (an English, unprefixed page) in language `code`, or None when the path is
    not a public page (it has no version under a language prefix)."""
    prefixed = f"/{code}{path}"
    with translation.override(code):
        return prefixed if is_valid_path(prefixed, settings.ROOT_URLCONF) else None
