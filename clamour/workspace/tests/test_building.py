from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from clamour.actions.models import Action, Target
from clamour.campaigns.models import Campaign, Update
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import add_target, make_campaign
from clamour.workspace import building

pytestmark = pytest.mark.django_db


def future(days=5):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_new_letter_campaign_shows_only_letter_fields_and_is_created_as_draft(campaigners_client):
    page = campaigners_client.get("/staff/campaigns/new/?kind=letter").content.decode()
    assert 'name="action-letter_template"' in page and 'name="action-petition_text"' not in page
    petition = campaigners_client.get("/staff/campaigns/new/?kind=petition").content.decode()
    assert 'name="action-petition_text"' in petition and 'name="action-letter_template"' not in petition
    data = {
        "campaign-title": "Free the bloggers", "campaign-slug": "free-bloggers",
        "campaign-summary": "Two bloggers jailed.", "campaign-story": "The story.",
        "action-title": "Write to the minister", "action-goal": "500", "action-deadline": future(),
        "action-require_confirmation": "on", "action-consent_wording": "Yes, keep me posted.",
        "action-letter_subject": "Release them", "action-targeting": "fixed",
        "action-fallback": "reject",
        "action-letter_template": "Dear minister, please release them now, {supporter_name}.",
    }
    response = campaigners_client.post("/staff/campaigns/new/?kind=letter", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(slug="free-bloggers")
    assert campaign.status == "draft"
    assert (campaign.action.kind, campaign.action.goal) == ("letter", 500)


def test_new_campaign_errors_are_explained_and_nothing_is_stored(campaigners_client):
    response = campaigners_client.post("/staff/campaigns/new/?kind=letter", {
        "campaign-title": "X", "campaign-slug": "x", "action-goal": "0"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "The goal must be at least 1." in page
    assert not Campaign.objects.exists()


def test_duplicate_copies_action_and_targets_as_a_draft(campaigners_client):
    att = make_campaign("att")
    add_target(att, country="FR", name="Camille")
    response = campaigners_client.post("/staff/campaigns/att/duplicate/",
                                       {"slug": "att-2", "title": "Again"})
    assert response.status_code == 302
    copy = Campaign.objects.get(slug="att-2")
    assert copy.status == "draft" and copy.title == "Again"
    assert copy.action.letter_template == att.action.letter_template
    assert list(copy.action.targets.values_list("name", "country")) == [("Camille", "FR")]
    taken = campaigners_client.post("/staff/campaigns/att/duplicate/", {"slug": "att-2", "title": "X"})
    assert taken.status_code == 200 and "already uses this address" in taken.content.decode()
    call_command("duplicate_campaign", "att", "att-3", "Third")
    assert Campaign.objects.get(slug="att-3").action.targets.count() == 1
    with pytest.raises(CommandError):
        call_command("duplicate_campaign", "att", "att-3", "Third")


def test_edit_letter_and_preview_for_a_country(campaigners_client):
    att = make_campaign("att", targeting=Action.Targeting.COUNTRY,
                        fallback=Action.Fallback.DEFAULT_TARGET)
    add_target(att, country="FR", name="Camille Exemple", title="Ministre")
    add_target(att, country="GB", name="Alex Example", title="Foreign Secretary", is_default=True)
    template = "As someone in {supporter_country}, I ask you, {target_title}, to act."
    page = campaigners_client.post("/staff/campaigns/att/edit/", {
        "preview": "1", "country": "FR", "action-letter_subject": "For {target_name}",
        "action-letter_template": template}).content.decode()
    assert "As someone in France, I ask you, Ministre, to act." in page
    assert "Dear Camille Exemple," in page and "For Camille Exemple" in page
    assert "{supporter_country}" not in page.split('id="letter-preview"')[1]
    att.action.refresh_from_db()
    assert att.action.letter_template != template  # a preview saves nothing
    fragment = campaigners_client.post("/staff/campaigns/att/preview/", {
        "country": "EG", "letter_subject": "S", "letter_template": template}).content.decode()
    assert "As someone in Egypt, I ask you, Foreign Secretary, to act." in fragment
    assert "default target" in fragment


def test_publish_and_post_update(campaigners_client):
    att = make_campaign("att", status=Campaign.Status.DRAFT)
    assert campaigners_client.post("/staff/campaigns/att/status/", {"status": "live"}).status_code == 302
    att.refresh_from_db()
    assert att.status == "live"
    response = campaigners_client.post("/staff/campaigns/att/updates/", {
        "title": "Day two", "body": "Thousands wrote.", "published_at": future(-1)})
    assert response.status_code == 302
    assert Update.objects.get(campaign=att).title == "Day two"
    bad = campaigners_client.post("/staff/campaigns/att/updates/", {"title": "x", "published_at": "soon"})
    assert bad.status_code == 400 and Update.objects.count() == 1


def test_targets_one_by_one_and_csv_all_or_nothing(campaigners_client):
    make_campaign("att")
    response = campaigners_client.post("/staff/campaigns/att/targets/", {
        "add": "1", "name": "Alex", "title": "Minister", "email": "alex@example.org", "country": "GB"})
    assert response.status_code == 302
    bad = b"name,email,country,default\nCamille,camille@example.org,France,no\n,nobody,Atlantis,maybe\n"
    response = campaigners_client.post("/staff/campaigns/att/targets/", {
        "import": "1", "file": SimpleUploadedFile("t.csv", bad, "text/csv")})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 3:" in page and "Atlantis" in page and "nobody" in page
    assert Target.objects.count() == 1  # nothing from the file
    good = b"name,email,country,default\nCamille,camille@example.org,France,no\nJona,jona@example.org,DE,yes\n"
    response = campaigners_client.post("/staff/campaigns/att/targets/", {
        "import": "1", "file": SimpleUploadedFile("t.csv", good, "text/csv")})
    assert response.status_code == 302
    assert sorted(Target.objects.values_list("country", "is_default")) == \
        [("DE", True), ("FR", False), ("GB", False)]
    alex = Target.objects.get(name="Alex")
    assert campaigners_client.post(f"/staff/campaigns/att/targets/{alex.pk}/remove/").status_code == 302
    assert not Target.objects.filter(name="Alex").exists()


def test_import_targets_function_refuses_a_file_without_header_columns():
    att = make_campaign("att")
    with pytest.raises(building.ImportFailed, match="must name the columns"):
        building.import_targets(att.action, b"who,where\nA,B\n")
    assert not Target.objects.exists()


@pytest.mark.parametrize("method,url", [
    ("get", "/staff/campaigns/new/"), ("get", "/staff/campaigns/att/edit/"),
    ("post", "/staff/campaigns/att/preview/"), ("post", "/staff/campaigns/att/status/"),
    ("get", "/staff/campaigns/att/duplicate/"), ("get", "/staff/campaigns/att/targets/"),
    ("post", "/staff/campaigns/att/targets/1/remove/"), ("get", "/staff/campaigns/att/updates/"),
])
def test_building_pages_access(method, url, moderator, volunteer, member_of_campaigners):
    make_campaign("att")
    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for user in (moderator, volunteer):
        assert getattr(log_in_staff(Client(), user), method)(url).status_code == 403
    allowed = getattr(log_in_staff(Client(), member_of_campaigners), method)(url)
    assert allowed.status_code in (200, 302, 400, 404)
