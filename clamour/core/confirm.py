"""The page a link in an email opens, and the page for a link that does not work.

Opening the link shows a button, and only pressing it (a POST) does what the link is
for, so mail scanners that follow links confirm, unsubscribe or log in nobody. Every
such page extends `core/confirm.html`; a link that is forged, cut short, made for
another purpose or too old gets `core/link_invalid.html`, with a 400.

Each app keeps its URL and its own function that does the work; its view is

    @require_http_methods(["GET", "HEAD", "POST"])
    def confirm(request, token):
        return confirm_by_button(request, token, find=submission_from_token,
                                 show=..., confirm=..., invalid={...})
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render

from .signedlinks import LinkExpired

CONFIRM_TEMPLATE = "core/confirm.html"
INVALID_TEMPLATE = "core/link_invalid.html"


def link_invalid(request, *, expired: bool = False, why: str = "", again: str = "",
                 back_url: str = "", back_label: str = "") -> HttpResponse:
    """The "this link does not work" page (400). `why` replaces the standard reason (a log-in
    link used already); `again` says how to get a new link when it has expired;
    `back_url` and `back_label` are the way on."""
    return render(request, INVALID_TEMPLATE, {
        "expired": expired, "why": why, "again": again,
        "back_url": back_url, "back_label": back_label,
    }, status=400)


def confirm_by_button(request, token: str, *, find: Callable, show: Callable,
                      confirm: Callable, invalid: dict) -> HttpResponse:
    """`find(token)` gives the object the link is for (None if not genuine; it raises
    LinkExpired when too old); GET and HEAD answer `show(obj)`, POST `confirm(obj)`.
    A link that does not work gets `link_invalid(**invalid)`."""
    try:
        found = find(token)
    except LinkExpired:
        return link_invalid(request, expired=True, **invalid)
    if found is None:
        return link_invalid(request, **invalid)
    if request.method == "POST":
        return confirm(found)
    return show(found)
