from datetime import timedelta

import pytest
from django.test import Client

from clamour.actions.models import Delivery, Submission
from clamour.testing.actions import submit
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import add_target, make_campaign

pytestmark = pytest.mark.django_db


def test_overview_lists_each_campaign_with_its_figures(campaigners_client):
    att = make_campaign("att")
    target = add_target(att)
    make_campaign("other", status="draft")
    first = submit(att, "a@example.net")
    submit(att, "b@example.net", status=Submission.Status.PENDING)
    submit(att, "c@example.net", ago=timedelta(days=3))
    Delivery.objects.create(submission=first, target=target, to_name="A", to_email="a@example.org",
                            status=Delivery.Status.FAILED)
    response = campaigners_client.get("/staff/")
    assert response.status_code == 200
    rows = {row["campaign"].slug: row for row in response.context["rows"]}
    assert rows["att"]["figures"]["total"] == 3
    assert rows["att"]["figures"]["today"] == 2
    assert rows["att"]["figures"]["last_hour"] == 2
    assert rows["att"]["figures"]["rate"] == 67
    assert rows["att"]["letters"]["failed"] == 1
    assert rows["other"]["figures"]["total"] == 0
    assert b"Campaign att" in response.content and b"Campaign other" in response.content


def test_overview_query_count_does_not_grow_with_submissions(campaigners_client,
                                                              django_assert_max_num_queries):
    att = make_campaign("att")
    for n in range(30):
        submit(att, f"p{n}@example.net", ago=timedelta(hours=n))
    campaigners_client.get("/staff/")  # the first visit sums the closed hours
    with django_assert_max_num_queries(16):
        assert campaigners_client.get("/staff/").status_code == 200


def test_anonymous_is_sent_to_log_in_and_outsiders_are_refused(moderator_client):
    response = Client().get("/staff/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert moderator_client.get("/staff/").status_code == 403


def test_staff_without_second_factor_must_finish_logging_in(client, member_of_campaigners):
    client.force_login(member_of_campaigners)
    response = client.get("/staff/")
    assert response.status_code == 302


def test_header_shows_staff_navigation_to_verified_staff_only(client, member_of_campaigners):
    make_campaign("att")
    public = client.get("/treaties/")
    assert b'href="/staff/"' not in public.content and b"Log in" in public.content
    log_in_staff(client, member_of_campaigners)
    for url in ("/treaties/", "/campaigns/att/", "/staff/"):
        page = client.get(url).content.decode()
        assert 'href="/staff/"' in page, url
        assert 'href="/moderate/"' in page or "/comments/moderate/" in page, url
        assert 'href="/admin/"' in page, url
        assert ">Log in<" not in page, url
    unverified = Client()
    unverified.force_login(member_of_campaigners)
    assert b'href="/staff/"' not in unverified.get("/treaties/").content


def test_the_migration_makes_the_campaigners_group_with_the_export_permission():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="Campaigners").permissions.values_list("codename", flat=True))
    assert {"use_workspace", "export_personal_data", "add_campaign", "change_delivery"} <= codenames
