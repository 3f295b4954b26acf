"""Logging staff in for tests, the way the site requires (second factor included)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def staff_device(user) -> TOTPDevice:
    """The user's confirmed authenticator device, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app would show right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in_staff(client, user):
    """Log `user` in on the test `client` as a fully verified staff member: password
    step done (force_login) and a confirmed TOTP device recorded in the session, as the
    code step (`staffauth:verify`) does."""
    client.force_login(user)
    device = staff_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def log_in_staff_in_browser(page, base_url: str, user, password: str, next_path: str = "/admin/"):
    """Log staff in through the real pages in a Playwright `page`: password, then code."""
    device = staff_device(user)
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(lambda url: "/staff/verify/" in url)
    page.fill("#id_code", current_code(device))
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/staff/" not in url)
    return page
