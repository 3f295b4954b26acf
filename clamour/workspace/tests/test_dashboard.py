import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clamour.actions.models import Delivery, Submission
from clamour.testing.actions import submit
from clamour.testing.factories import add_target, letter_post, make_campaign
from clamour.workspace import tallies
from clamour.workspace.models import Tally

pytestmark = pytest.mark.django_db


def test_dashboard_shows_countries_sources_funnel_and_letters(campaigners_client):
    att = make_campaign("att")
    alex = add_target(att, name="Alex Example")
    submit(att, "a@example.net", country="FR", referral_code="friend1", utm_source="newsletter",
           utm_campaign="may")
    submit(att, "b@example.net", country="FR", status=Submission.Status.PENDING,
           utm_source="newsletter", utm_campaign="may")
    s = submit(att, "c@example.net", country="KE", ago=timedelta(hours=5), referral_code="friend1")
    Delivery.objects.create(submission=s, target=alex, to_name="Alex", to_email="x@example.org",
                            status=Delivery.Status.FAILED, last_error="550 mailbox unavailable")
    response = campaigners_client.get("/staff/campaigns/att/")
    assert response.status_code == 200
    context = response.context
    assert [(c["code"], c["submitted"], c["confirmed"]) for c in context["countries"]] == \
        [("FR", 2, 1), ("KE", 1, 1)]
    assert context["referrals"][0]["code"] == "friend1" and context["referrals"][0]["count"] == 2
    assert context["utm"] == [{"source": "newsletter", "campaign": "may", "count": 2}]
    assert context["numbers"].submitted == 3 and context["numbers"].confirmed == 2
    assert context["targets"][0]["failed"] == 1
    page = response.content.decode()
    assert "550 mailbox unavailable" in page
    assert '<svg class="chart"' in page and '<svg class="world-map"' in page
    assert re.search(r'class="pos-n\d" data-country="FR"', page)
    assert "/staff/mailings/?campaign=att" in page
    # Each chart's figures are in a table too: the hourly rows sum to the total.
    assert sum(row["count"] for row in context["rows"]) == 3
    assert context["unit"] == "hour"


def test_closed_hours_are_tallied_once_and_figures_stay_the_same(campaigners_client):
    att = make_campaign("att")
    for n in range(4):
        submit(att, f"old{n}@example.net", ago=timedelta(hours=3 + n), country="DE")
    submit(att, "new@example.net")
    first = campaigners_client.get("/staff/campaigns/att/").context["numbers"]
    assert Tally.objects.filter(dimension="hour").count() == 4
    assert Tally.objects.get(dimension="country", value="DE").submitted == 4
    assert tallies.refresh(att.action) == 0  # nothing new has closed
    again = campaigners_client.get("/staff/campaigns/att/").context["numbers"]
    assert (first.submitted, first.confirmed, dict(first.by_country)) == \
        (again.submitted, again.confirmed, dict(again.by_country)) == (5, 5, {"DE": 4, "GB": 1})


def test_a_late_confirmation_counts_in_the_hour_it_happened():
    att = make_campaign("att")
    old = submit(att, "late@example.net", status=Submission.Status.PENDING, ago=timedelta(hours=5))
    now = timezone.now()
    assert tallies.figures(att.action, now).confirmed == 0
    old.confirm(now=now)
    later = tallies.figures(att.action, now + timedelta(hours=3))
    assert (later.submitted, later.confirmed) == (1, 1)


def test_dashboard_query_count_is_bounded(campaigners_client, django_assert_max_num_queries):
    att = make_campaign("att")
    add_target(att)
    for n in range(25):
        submit(att, f"p{n}@example.net", ago=timedelta(hours=n), country=["GB", "FR", "KE"][n % 3],
               referral_code=f"r{n % 4}")
    campaigners_client.get("/staff/campaigns/att/")
    with django_assert_max_num_queries(26):  # a fixed set, whatever the number of rows
        assert campaigners_client.get("/staff/campaigns/att/").status_code == 200


def test_retry_failed_requeues_failed_letters_only(campaigners_client, volunteer):
    att = make_campaign("att")
    alex = add_target(att)
    failed = Delivery.objects.create(submission=submit(att, "a@example.net"), target=alex,
                                     to_name="A", to_email="a@example.org",
                                     status=Delivery.Status.FAILED, attempts=5)
    sent = Delivery.objects.create(submission=submit(att, "b@example.net"), target=alex,
                                   to_name="A", to_email="a@example.org", status=Delivery.Status.SENT)
    from clamour.testing.auth import log_in_staff

    volunteer_client = log_in_staff(Client(), volunteer)
    assert volunteer_client.post("/staff/campaigns/att/retry-failed/").status_code == 403
    assert campaigners_client.get("/staff/campaigns/att/retry-failed/").status_code == 405
    response = campaigners_client.post("/staff/campaigns/att/retry-failed/")
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, sent.status) == ("queued", 0, "sent")


def test_utm_tags_on_the_campaign_link_are_stored_with_the_action(client):
    att = make_campaign("att", require_confirmation=False)
    add_target(att)
    page = client.get("/campaigns/att/?utm_source=mastodon&utm_campaign=launch%3Cb%3E").content.decode()
    assert 'name="utm_source" value="mastodon"' in page
    assert 'name="utm_campaign" value="launchb"' in page  # only safe characters travel
    other = client.get("/campaigns/att/?utm_source=email").content.decode()
    assert 'name="utm_source" value="email"' in other and "mastodon" not in other
    response = client.post("/campaigns/att/act/", letter_post(
        att, utm_source="mastodon", utm_campaign="launch"), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302, response.content[:400]
    stored = Submission.objects.get()
    assert (stored.utm_source, stored.utm_campaign) == ("mastodon", "launch")


def test_dashboard_access(moderator_client, volunteer):
    make_campaign("att")
    assert Client().get("/staff/campaigns/att/").status_code == 302
    assert moderator_client.get("/staff/campaigns/att/").status_code == 403
    from clamour.testing.auth import log_in_staff

    assert log_in_staff(Client(), volunteer).get("/staff/campaigns/att/").status_code == 200
    assert log_in_staff(Client(), volunteer).get("/staff/campaigns/nope/").status_code == 404


def test_the_worker_refresh_sums_closed_hours_of_open_actions_only():
    att = make_campaign("att")
    draft = make_campaign("draft", status="draft")
    submit(att, "a@example.net", ago=timedelta(hours=4))
    submit(draft, "b@example.net", ago=timedelta(hours=4))
    assert tallies.refresh_all() > 0
    assert Tally.objects.filter(action=att.action).exists()
    assert not Tally.objects.filter(action=draft.action).exists()
    assert tallies.refresh_all() == 0
