"""How many tries staff get at each step of logging in.

Password step: at most PASSWORD_TRIES_PER_ACCOUNT tries for one username and
PASSWORD_TRIES_PER_ADDRESS from one network address in PASSWORD_WINDOW_SECONDS, right
or wrong, so guessing a password is slow whichever of the two an attacker varies.

Code step: a mistyped code costs nothing the first FREE_WRONG_CODES times in a row;
after that each try waits FIRST_WAIT_SECONDS, doubling with every further wrong code up to
LONGEST_WAIT_SECONDS. The count lives on the device (django-otp's throttling fields) and
a right code resets it. django-otp's own throttle, which makes the very next try wait
after one mistake, is off (OTP_TOTP_THROTTLE_FACTOR = 0 in settings).
"""

import math
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from clamour.core import ratelimit
from clamour.core.http import client_ip
from clamour.lib.iphash import ip_key

PASSWORD_WINDOW_SECONDS = 15 * 60
PASSWORD_TRIES_PER_ACCOUNT = 10
PASSWORD_TRIES_PER_ADDRESS = 30

FREE_WRONG_CODES = 3
FIRST_WAIT_SECONDS = 30
LONGEST_WAIT_SECONDS = 15 * 60


def password_wait(request) -> int:
    """Count one password try from this request and answer 0; once the address or the
    account has had its share, the seconds until it may try again."""
    username = (request.POST.get("username") or "").strip().lower()
    return ratelimit.wait(
        "staff-password-ip", ip_key(client_ip(request)),
        (PASSWORD_TRIES_PER_ADDRESS, PASSWORD_WINDOW_SECONDS),
    ) or ratelimit.wait(
        "staff-password-user", username,
        (PASSWORD_TRIES_PER_ACCOUNT, PASSWORD_WINDOW_SECONDS),
    )


def code_wait_seconds(device, now=None) -> int:
    """Seconds before `device` takes another code (0: it takes one now)."""
    failures = device.throttling_failure_count
    if failures < FREE_WRONG_CODES or device.throttling_failure_timestamp is None:
        return 0
    wait = min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_WRONG_CODES), LONGEST_WAIT_SECONDS)
    until = device.throttling_failure_timestamp + timedelta(seconds=wait)
    return max(0, math.ceil((until - (now or timezone.now())).total_seconds()))


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
