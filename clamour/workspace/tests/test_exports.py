import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from clamour.actions.models import Submission
from clamour.supporters.models import PrivacyLogEntry, Supporter
from clamour.testing.actions import submit
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import make_campaign
from clamour.workspace import exports

pytestmark = pytest.mark.django_db


def read(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_actions_export_streams_every_row_with_sources(campaigners_client, member_of_campaigners):
    att = make_campaign("att")
    submit(att, "a@example.net", country="FR", referral_code="friend1", utm_source="news",
           utm_campaign="may", consent_given=True)
    submit(att, "b@example.net", status=Submission.Status.PENDING)
    Supporter.objects.filter(email="a@example.net").update(language="fr")
    response = campaigners_client.post("/staff/campaigns/att/export/", {"kind": "actions"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = read(response)
    assert table[0] == exports.KINDS["actions"]
    by_email = {row[3]: dict(zip(table[0], row)) for row in table[1:]}
    assert set(by_email) == {"a@example.net", "b@example.net"}
    assert by_email["a@example.net"]["utm_source"] == "news"
    assert by_email["a@example.net"]["language"] == "fr"
    assert by_email["a@example.net"]["referral_code"] == "friend1"
    assert by_email["a@example.net"]["consent_given"] == "yes"
    assert by_email["b@example.net"]["status"] == "pending"
    entry = PrivacyLogEntry.objects.get()
    assert entry.kind == "export" and entry.staff == member_of_campaigners
    assert "att" in entry.detail and "actions" in entry.detail


def test_export_filters(campaigners_client):
    att = make_campaign("att")
    submit(att, "fr-yes@example.net", country="FR", consent_given=True)
    submit(att, "fr-no@example.net", country="FR", consent_given=False)
    submit(att, "gb-yes@example.net", country="GB", consent_given=True,
           status=Submission.Status.PENDING)
    submit(att, "old@example.net", country="FR", consent_given=True, ago=timedelta(days=10))
    def emails(**data):
        table = read(campaigners_client.post("/staff/campaigns/att/export/",
                                             {"kind": "supporters", **data}))
        return sorted(row[2] for row in table[1:])
    assert emails(country="FR", consent="yes") == ["fr-yes@example.net", "old@example.net"]
    assert emails(status="pending") == ["gb-yes@example.net"]
    from django.utils import timezone
    today = timezone.localdate().isoformat()
    assert "old@example.net" not in emails(since=today, until=today)
    response = campaigners_client.post("/staff/campaigns/att/export/",
                                       {"kind": "supporters", "since": "2026-05-02",
                                        "until": "2026-05-01"})
    assert response.status_code == 400 and b"after" in response.content
    assert PrivacyLogEntry.objects.count() == 3  # the refused one exported nothing


def test_cells_that_look_like_formulas_are_defused(campaigners_client):
    att = make_campaign("att")
    submit(att, "x@example.net", name="=HYPERLINK(\"http://evil\")", postcode="+44 1",
           comment="@SUM(A1)")
    table = read(campaigners_client.post("/staff/campaigns/att/export/", {"kind": "actions"}))
    row = dict(zip(table[0], table[1]))
    assert row["name"] == "'=HYPERLINK(\"http://evil\")"
    assert row["postcode"] == "'+44 1" and row["comment"] == "'@SUM(A1)"


def test_export_reads_in_chunks_not_all_at_once(monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(exports, "CHUNK", 3)
    att = make_campaign("att")
    for n in range(10):
        submit(att, f"p{n}@example.net")
    table = exports.rows(att.action, "actions", exports.Filters())
    header = next(table)
    with django_assert_max_num_queries(1):
        first = [next(table) for _ in range(3)]  # one chunk read, no more
    rest = list(table)
    assert header and len(first) + len(rest) == 10
    assert len({row[0] for row in first + rest}) == 10


def test_export_access(moderator_client, volunteer):
    make_campaign("att")
    assert Client().get("/staff/campaigns/att/export/").status_code == 302
    assert moderator_client.post("/staff/campaigns/att/export/", {"kind": "actions"}).status_code == 403
    volunteer_client = log_in_staff(Client(), volunteer)
    assert volunteer_client.post("/staff/campaigns/att/export/", {"kind": "actions"}).status_code == 403
    assert b"/export/" not in volunteer_client.get("/staff/campaigns/att/").content
    assert PrivacyLogEntry.objects.count() == 0


def test_export_command_follows_the_same_rules(tmp_path, member_of_campaigners, volunteer):
    att = make_campaign("att")
    submit(att, "a@example.net")
    out = tmp_path / "out.csv"
    call_command("export_campaign", "att", "supporters", "--staff", "cam", "--output", str(out))
    assert "a@example.net" in out.read_text()
    assert PrivacyLogEntry.objects.filter(staff=member_of_campaigners).count() == 1
    with pytest.raises(CommandError, match="may not export"):
        call_command("export_campaign", "att", "supporters", "--staff", "volunteer")


def test_the_admin_export_needs_the_same_permission_and_is_logged(volunteer, member_of_campaigners):
    from django.contrib.auth.models import Permission

    att = make_campaign("att")
    submit(att, "a@example.net")
    volunteer.user_permissions.add(*Permission.objects.filter(codename="view_submission"))
    form = {"action": "export_csv", "_selected_action": list(
        Submission.objects.values_list("pk", flat=True))}
    refused = log_in_staff(Client(), volunteer).post("/admin/actions/submission/", form)
    assert not getattr(refused, "streaming", False)
    assert PrivacyLogEntry.objects.count() == 0
    allowed = log_in_staff(Client(), member_of_campaigners).post("/admin/actions/submission/", form)
    assert allowed.streaming and b"a@example.net" in b"".join(allowed.streaming_content)
    assert PrivacyLogEntry.objects.get().staff == member_of_campaigners
