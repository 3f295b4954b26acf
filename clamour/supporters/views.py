from functools import wraps

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.core import ratelimit
from clamour.core.confirm import confirm_by_button, link_invalid
from clamour.core.http import client_ip
from clamour.lib.iphash import ip_key
from clamour.lib.markup import render_markdown

from . import accounts, privacy
from .forms import (
    LoginForm,
)
from .mail import opt_out, read_unsubscribe_token
from .models import EmailOptOut
from .session import current_supporter, log_in, log_out


@csrf_exempt  # the signed token is the credential; mail clients POST without a form (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's one-click) unsubscribes."""

    def page(found, done=False):
        supporter, topic = found
        return render(request, "supporters/unsubscribe.html", {
            "email": supporter.email, "topic": topic, "everything": topic == EmailOptOut.ALL,
            "done": done,
        })

    def press(found):
        opt_out(*found)
        return page(found, done=True)

    return confirm_by_button(request, token, find=read_unsubscribe_token, show=page,
                             confirm=press, invalid={})


def supporter_required(view):
    """The view gets the logged-in supporter; anyone else is sent to log in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        supporter = current_supporter(request)
        if supporter is None:
            return redirect("supporters:login")
        return view(request, supporter, *args, **kwargs)

    return never_cache(wrapper)


# Log-in by email link.

def _too_many(request, form, wait):
    return ratelimit.too_many(request, wait, "supporters/login.html",
                              {"form": form, "too_many": True})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login(request):
    if current_supporter(request) is not None and request.method != "POST":
        return redirect("supporters:account")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if wait := ratelimit.wait("login-ip", ip_key(client_ip(request)),
                                  settings.LOGIN_RATE_PER_IP):
            return _too_many(request, form, wait)
        if form.is_valid():
            email = form.cleaned_data["email"]  # normalised by EmailAddressField
            if wait := ratelimit.wait("login-email", email, settings.LOGIN_RATE_PER_EMAIL):
                return _too_many(request, form, wait)
            accounts.request_login_link(email)
            return redirect("supporters:login_sent")
    return render(request, "supporters/login.html", {"form": form},
                  status=400 if form.errors else 200)


@require_safe
def login_sent(request):
    return render(request, "supporters/login_sent.html",
                  {"minutes": settings.LOGIN_LINK_MAX_AGE_MINUTES})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_link(request, token):
    """GET shows a button; only the POST logs in, so mail scanners that open links don't."""
    if request.method == "POST":
        supporter = accounts.use_login_token(token)
        if supporter is not None:
            log_in(request, supporter)
            return redirect("supporters:account")
    state, _found = accounts.login_token_state(token)
    if request.method == "GET" and state == accounts.LinkState.VALID:
        return render(request, "supporters/login_link.html", {})
    # The link is spent, too old or not genuine (or was spent by another press just now).
    return link_invalid(
        request,
        expired=state == accounts.LinkState.EXPIRED,
        why=_("This log-in link has already been used. Each link works once.")
        if state == accounts.LinkState.USED else "",
        back_url=reverse("supporters:login"),
        back_label=_("Get a new link"),
    )


@require_POST
def logout(request):
    log_out(request)
    return redirect("campaigns:home")


@require_safe
def privacy_notice(request):
    text, changed_at = privacy.privacy_notice()
    return render(request, "supporters/privacy.html",
                  {"notice_html": render_markdown(text), "changed_at": changed_at})


@require_safe
def erased(request):
    return render(request, "supporters/erased.html", {})
