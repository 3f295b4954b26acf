"""Behaviour under overload: answer fast with 503 and Retry-After, never hang, never 500."""

import logging
import threading

from django.conf import settings
from django.db import OperationalError
from django.db.utils import InterfaceError
from django.http import HttpResponse
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
