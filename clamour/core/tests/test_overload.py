"""Overload and abuse: rate limits, 503 with Retry-After, client addresses behind proxies."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.core import middleware, ratelimit
from clamour.core.http import client_ip
from clamour.lib.config import ConfigError, env_rate
from clamour.lib.ratelimit import Limit
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db


def post(client, campaign, i, ip="203.0.113.9", **extra):
    return client.post(reverse("actions:submit", args=[campaign.slug]),
                       letter_post(campaign, email=f"p{i}@example.net"),
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ip, **extra)


def test_one_address_flooding_is_limited_but_many_people_are_not(client, settings, monkeypatch):
    now = 1_800_000_015.0  # 15 s into a minute
    monkeypatch.setattr(ratelimit, "clock", lambda: now)
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SUBMIT_RATE_PER_IP = (3, 60)
    campaign = make_campaign()
    add_target(campaign)
    codes = [post(client, campaign, i).status_code for i in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    limited = post(client, campaign, 9)
    # The real wait: this minute's three slide out far enough 65 s from now, not "60".
    assert limited["Retry-After"] == str(Limit(3, 60).retry_after(0, 3, now)) == "66"
    assert b"Too many attempts" in limited.content
    # Many different people (addresses) at once all get through.
    assert all(post(client, campaign, 100 + i, ip=f"198.51.100.{i}").status_code == 302
               for i in range(20))
    assert Submission.objects.count() == 23


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "192.0.2.1"
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    assert client_ip(request) == "10.9.9.9"
    spoofed = factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.9.9")
    assert client_ip(spoofed) == "10.9.9.9"  # the right-most untrusted hop, not the first


def test_one_email_is_limited(client, settings):
    settings.SUBMIT_RATE_PER_EMAIL = (2, 3600)
    campaigns = [make_campaign(f"c{i}") for i in range(3)]
    for campaign in campaigns:
        add_target(campaign)
    codes = [client.post(reverse("actions:submit", args=[c.slug]), letter_post(c)).status_code
             for c in campaigns]
    assert codes == [302, 302, 429]


def test_database_overload_is_a_503_with_retry_after_and_nothing_is_thanked(client, monkeypatch):
    campaign = make_campaign()
    add_target(campaign)

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("clamour.actions.views.record_submissions", locked)
    response = post(client, campaign, 1)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Nothing was recorded" in response.content
    assert Submission.objects.count() == 0


def test_requests_past_the_in_flight_cap_are_shed_at_once(settings):
    settings.MAX_IN_FLIGHT = 1
    seen = []

    def inner(request):
        # While this request is being served, a second one arrives.
        seen.append(shedder(RequestFactory().get("/")).status_code)
        return middleware.HttpResponse("ok")

    shedder = middleware.LoadShedMiddleware(inner)
    response = shedder(RequestFactory().get("/"))
    assert response.status_code == 200 and seen == [503]
    assert shedder.in_flight == 0  # finished requests free their place
    assert shedder(RequestFactory().get("/")).status_code == 200


def test_other_database_errors_are_not_disguised():
    assert not middleware.is_overload_error(OperationalError("no such column: foo"))
    assert middleware.is_overload_error(OperationalError("database is locked"))


def test_rate_setting_is_checked():
    assert env_rate("X", "30/60", environ={}) == (30, 60)
    for bad in ("30", "a/b", "5/0", "-1/60"):
        with pytest.raises(ConfigError):
            env_rate("X", bad, environ={"X": bad})


def test_default_server_shape_follows_the_database():
    from clamour.lib.config import default_web_shape

    assert default_web_shape("sqlite", 2) == (3, 16)
    assert default_web_shape("other", 2) == (2, 32)
    assert default_web_shape("sqlite", 8) == (9, 16)
