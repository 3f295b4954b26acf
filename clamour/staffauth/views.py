"""The second step of a staff log-in: a code from an authenticator app (TOTP).

On their first log-in a staff member has no device yet; `setup` shows a new secret as a
QR code (drawn here, as inline SVG) and as text, and the device counts only once a code
from it has been typed back. Repeated wrong codes slow the device down (see throttle.py).
"""

from base64 import b32encode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from clamour.core.access import is_staff_member

from .forms import CodeForm
from .qr import qr_svg
from .sites import needs_second_factor
from .throttle import code_wait_seconds, wait_text


def next_url(request) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return reverse("admin:index")


def _elsewhere(request, target):
    """Where to send someone who does not belong on the code step."""
    if is_staff_member(request.user):
        return redirect(target)  # already verified
    return redirect_to_login(target, reverse("admin:login"))


def check_code(devices, code: str):
    """The device that accepts `code`, or None with the reason to show."""
    error = _("That code is not right. Check the time on your phone and try the newest code.")
    with transaction.atomic():
        for device in devices:
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            wait = code_wait_seconds(device)
            if wait:
                error = _("Too many wrong codes in a row. Try again in %(wait)s.") % {
                    "wait": wait_text(wait)}
                continue
            if device.verify_token(code):
                return device, ""
    return None, error


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    target = next_url(request)
    if not needs_second_factor(request.user):
        return _elsewhere(request, target)
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('staffauth:setup')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device, error = check_code(devices, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(target)
        form.add_error("code", error)
    return render(request, "staffauth/verify.html", {"form": form, "next": target},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    target = next_url(request)
    if not needs_second_factor(request.user):
        return _elsewhere(request, target)
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect(f"{reverse('staffauth:verify')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
    device = (TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
              or TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        found, error = check_code([device], form.cleaned_data["code"])
        if found is not None:
            TOTPDevice.objects.filter(pk=found.pk).update(confirmed=True)
            found.confirmed = True
            otp_login(request, found)
            return redirect(target)
        form.add_error("code", error)
    secret = b32encode(device.bin_key).decode()
    return render(request, "staffauth/setup.html", {
        "form": form,
        "next": target,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr": qr_svg(device.config_url),
    }, status=400 if form.errors else 200)
