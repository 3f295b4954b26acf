"""How large a request may be, decided from its path and headers before any of its
body is read.

Public pages take small forms (a letter, a comment): REQUEST_MAX_BYTES. Staff pages
(`/admin/`, `/staff/`, `/treaties/staff/`) take uploads: STAFF_REQUEST_MAX_BYTES, by
default the larger of the treaty draft and blog image limits plus room for the form
around them. The same rule is applied twice: by the gateway (clamour/gateway.py) while
it receives a body, and by RequestSizeMiddleware for any other server.
"""

import json

from django.conf import settings
from django.http import HttpResponse

STAFF_PREFIXES = ("/admin/", "/staff/", "/treaties/staff/")


def limit_for(path: str) -> int:
    """The most bytes a request body to `path` may have (a language prefix, as in
    /fr/treaties/staff/, does not change it)."""
    first, _slash, rest = path[1:].partition("/")
    if rest and first in dict(settings.LANGUAGES):
        path = "/" + rest
    if path.startswith(STAFF_PREFIXES):
        return settings.STAFF_REQUEST_MAX_BYTES
    return settings.REQUEST_MAX_BYTES


def wants_json(path: str, accept: str, content_type: str) -> bool:
    """API-ish requests get their errors as JSON."""
    return (path.endswith(".json") or "/api/" in path or "application/json" in accept
            or content_type.startswith("application/json"))


def too_large(path: str, limit: int, as_json: bool) -> tuple[int, list[tuple[str, str]], bytes]:
    """The 413 answer, as (status, headers, body)."""
    kib = limit // 1024
    message = (f"This request is too large: at most {kib} KB may be sent here. "
               "Nothing was recorded.")
    if as_json:
        body = json.dumps({"error": "request_too_large", "max_bytes": limit,
                           "message": message}).encode()
        content_type = "application/json"
    else:
        body = message.encode()
        content_type = "text/plain; charset=utf-8"
    return 413, [("content-type", content_type), ("cache-control", "no-store"),
                 ("connection", "close")], body


class RequestSizeMiddleware:
    """Refuse a request whose declared length is over the limit for its path, with a
    413, before anything reads its body (Django would otherwise stream a multipart
    upload to a temporary file in full before the view could refuse it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        limit = limit_for(request.path_info)
        if length > limit:
            status, headers, body = too_large(
                request.path_info, limit,
                wants_json(request.path_info, request.META.get("HTTP_ACCEPT", ""),
                           request.META.get("CONTENT_TYPE", "")))
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            return response
        return self.get_response(request)
