"""Staff need a password and a code from an authenticator app for every staff page."""

import re

import pytest
from django.http import HttpResponse
from django.urls import path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clamour import urls as site_urls
from clamour.core.access import staff_required
from clamour.staffauth.throttle import wait_text
from clamour.testing.auth import current_code, log_in_staff, staff_device

pytestmark = pytest.mark.django_db


@staff_required
def _staff_page(request):
    return HttpResponse("staff only")


urlpatterns = [
    path("some-staff-page/", _staff_page),
    *site_urls.urlpatterns,  # its language-prefixed pages cannot be include()d
]


def password_only(client, user):
    """What a staff member has after the password step and before the code."""
    client.force_login(user)
    return client


def test_password_alone_does_not_open_the_admin(client, campaigner):
    password_only(client, campaigner)
    response = client.get("/admin/", follow=True)
    # Sent from the admin log-in to the code step, and (no device yet) on to set-up.
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert response.redirect_chain[-1][0].startswith("/staff/setup/")
    assert "Set up your second factor" in response.content.decode()


def test_real_password_form_then_code(client, campaigner):
    device = staff_device(campaigner)
    response = client.post("/admin/login/?next=/admin/", {
        "username": "campaigner", "password": "a long test password 1", "next": "/admin/"})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == "/staff/verify/?next=%2Fadmin%2F"
    assert client.get("/admin/").status_code == 302  # still no code
    response = client.post("/staff/verify/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_code_is_refused_and_repeated_failures_are_throttled(client, campaigner):
    device = staff_device(campaigner)
    password_only(client, campaigner)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post("/staff/verify/", {"code": wrong, "next": "/admin/"})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    for _ in range(3):
        client.post("/staff/verify/", {"code": wrong, "next": "/admin/"})
    # Now even the right code waits for the throttle to pass.
    response = client.post("/staff/verify/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_bad_input_on_the_code_step_is_a_form_error(client, campaigner):
    staff_device(campaigner)
    password_only(client, campaigner)
    for code in ["", "abc", "1" * 40, "<script>", "12345"]:
        response = client.post("/staff/verify/", {"code": code})
        assert response.status_code == 400


def test_first_log_in_enrolment_shows_qr_and_key_and_confirms_the_device(client, campaigner):
    password_only(client, campaigner)
    response = client.get("/staff/setup/?next=/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<?xml" not in html  # the QR code is drawn inline
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", html).group(1)
    device = TOTPDevice.objects.get(user=campaigner)
    assert not device.confirmed
    from base64 import b32encode
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    # Reloading shows the same key (one pending device), not a new one each time.
    client.get("/staff/setup/")
    assert TOTPDevice.objects.filter(user=campaigner).count() == 1
    response = client.post("/staff/setup/", {"code": "000000", "next": "/admin/"})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    # One wrong code does not hold up the right one.
    response = client.post("/staff/setup/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_setup_is_closed_once_a_device_exists(client, campaigner):
    staff_device(campaigner)
    password_only(client, campaigner)
    response = client.get("/staff/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/verify/")


def test_code_steps_are_not_for_anonymous_or_non_staff(client, outsider):
    for url in ["/staff/verify/", "/staff/setup/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(outsider)
    for url in ["/staff/verify/", "/staff/setup/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.exists()


def test_verified_staff_skip_the_code_step(client, campaigner):
    log_in_staff(client, campaigner)
    response = client.get("/staff/verify/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_next_cannot_send_people_to_another_site(client, campaigner):
    device = staff_device(campaigner)
    password_only(client, campaigner)
    response = client.post("/staff/verify/", {"code": current_code(device),
                                              "next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:index")


@pytest.mark.urls(__name__)
def test_staff_required_views_need_the_second_factor(client, outsider, campaigner):
    response = client.get("/some-staff-page/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(outsider)
    assert client.get("/some-staff-page/").status_code == 403
    password_only(client, campaigner)
    response = client.get("/some-staff-page/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/staff/setup/")
    log_in_staff(client, campaigner)
    assert client.get("/some-staff-page/").content == b"staff only"


def test_one_mistyped_code_then_the_right_one_lets_staff_in(client, campaigner):
    device = staff_device(campaigner)
    password_only(client, campaigner)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    assert client.post("/staff/verify/", {"code": wrong, "next": "/admin/"}).status_code == 400
    response = client.post("/staff/verify/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_after_repeated_wrong_codes_the_page_says_how_long_to_wait(client, campaigner):
    from datetime import timedelta

    device = staff_device(campaigner)
    password_only(client, campaigner)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    for _ in range(3):
        client.post("/staff/verify/", {"code": wrong, "next": "/admin/"})
    response = client.post("/staff/verify/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"Try again in [0-9]+ seconds", html), html
    # Once the wait is over, the right code is taken.
    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(seconds=31))
    response = client.post("/staff/verify/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.fixture
def quick_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in_with_password(client, username, password):
    return client.post("/admin/login/?next=/admin/",
                       {"username": username, "password": password, "next": "/admin/"})


def test_password_guessing_on_one_account_is_stopped(quick_hashes, client, campaigner):
    for n in range(10):
        assert log_in_with_password(client, "campaigner", f"guess {n}").status_code == 200
    # The right password no longer gets in once the account has had its tries.
    response = log_in_with_password(client, "campaigner", "a long test password 1")
    assert response.status_code == 429
    # The page says the real remaining wait, and the header gives it in seconds.
    wait = int(response["Retry-After"])
    assert 0 < wait <= 2 * 15 * 60
    assert f"Wait {wait_text(wait)}" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_guessing_from_one_address_is_stopped(quick_hashes, client, campaigner):
    for n in range(30):
        assert log_in_with_password(client, f"someone-{n}", "guess").status_code == 200
    response = log_in_with_password(client, "campaigner", "a long test password 1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address still gets in.
    from django.test import Client

    other = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in_with_password(other, "campaigner", "a long test password 1").status_code == 302
