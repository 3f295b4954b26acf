"""Request size: refused by its declared length, before any of the body is read."""

import io

import pytest
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.core.requestsize import limit_for
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db


class CountingInput(io.RawIOBase):
    """A request body of `size` bytes that counts how many were read."""

    def __init__(self, size):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"x" * n
        self.read_bytes += n
        return n


def test_a_huge_multipart_post_to_the_action_is_refused_unread(client):
    campaign = make_campaign()
    add_target(campaign)
    body = CountingInput(1_000 * 1024 * 1024)
    response = client.generic(
        "POST", reverse("actions:submit", args=[campaign.slug]), b"-",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(body.size), **{"wsgi.input": body})
    assert response.status_code == 413
    assert b"too large" in response.content and b"Nothing was recorded" in response.content
    assert body.read_bytes == 0
    assert Submission.objects.count() == 0


def test_api_endpoints_answer_json(client):
    campaign = make_campaign()
    response = client.generic("POST", reverse("campaigns:count", args=[campaign.slug]), b"-",
                              content_type="application/json", CONTENT_LENGTH="5000000")
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"
    assert response.json()["max_bytes"] == 256 * 1024


def test_public_forms_of_normal_size_and_staff_uploads_pass(client, settings):
    campaign = make_campaign()
    add_target(campaign)
    response = client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign))
    assert response.status_code == 302
    # Staff pages take uploads up to STAFF_REQUEST_MAX_BYTES: a 3 MB body reaches the
    # login page (which then asks for the password as usual), it is not a 413.
    big = client.generic("POST", "/admin/login/", b"x" * (3 * 1024 * 1024),
                         content_type="application/octet-stream")
    assert big.status_code != 413
    settings.STAFF_REQUEST_MAX_BYTES = 1024 * 1024
    assert client.generic("POST", "/admin/login/", b"x" * (3 * 1024 * 1024),
                          content_type="application/octet-stream").status_code == 413


def test_a_language_prefix_keeps_the_staff_upload_limit(settings):
    settings.STAFF_REQUEST_MAX_BYTES, settings.REQUEST_MAX_BYTES = 11_000_000, 262_144
    # An analyst whose browser asks for French works under /fr/treaties/staff/.
    assert limit_for("/fr/treaties/staff/att/upload/") == 11_000_000
    assert limit_for("/treaties/staff/att/upload/") == 11_000_000
    assert limit_for("/fr/campaigns/att/act/") == 262_144
    assert limit_for("/xx/treaties/staff/att/upload/") == 262_144  # not a language of ours
