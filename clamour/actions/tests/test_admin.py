"""Staff pages: who may see them, and what the campaigner gets from them."""

import csv
import io

import pytest
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "admin:campaigns_campaign_changelist",
    "admin:campaigns_campaign_add",
    "admin:actions_action_changelist",
    "admin:actions_submission_changelist",
    "admin:actions_delivery_changelist",
    "admin:supporters_supporter_changelist",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_are_closed_to_the_public(client, outsider, campaigner, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(campaigner)  # password only: sent on to the second-factor step
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/staff/setup/")
    log_in_staff(client, campaigner)
    assert client.get(url).status_code == 200


def test_csv_export(client, campaigner):
    campaign = make_campaign()
    add_target(campaign)
    client.post(reverse("actions:submit", args=[campaign.slug]),
                letter_post(campaign, name="=HYPERLINK(\"http://evil\")"))
    client.post(reverse("actions:submit", args=[campaign.slug]),
                letter_post(campaign, email="two@example.net", name="Two"))
    log_in_staff(client, campaigner)
    response = client.post(reverse("admin:actions_submission_changelist"), {
        "action": "export_csv",
        "_selected_action": list(Submission.objects.values_list("pk", flat=True)),
    })
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert {r["email"] for r in rows} == {"sam@example.net", "two@example.net"}
    assert rows[0]["name"].startswith("'=")  # no formula runs in a spreadsheet
    assert rows[1]["consent_wording"] == campaign.action.consent_wording


def test_campaigner_creates_a_campaign_in_the_admin(client, campaigner):
    log_in_staff(client, campaigner)
    response = client.post(reverse("admin:campaigns_campaign_add"), {
        "slug": "new-one", "title": "New one", "summary": "Short.", "story": "Long.",
        "status": "live",
        "updates-TOTAL_FORMS": "1", "updates-INITIAL_FORMS": "0",
        "updates-0-published_at_0": "2026-11-20", "updates-0-published_at_1": "10:00:00",
        "updates-0-title": "First", "updates-0-body": "It begins.",
    })
    assert response.status_code == 302, response.content[:2000]
    assert client.get("/campaigns/new-one/").status_code == 200
