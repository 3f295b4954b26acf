"""My account: my actions with delivery status, my email choices and consents, my
referrals; and exporting and erasing my data, by myself or by staff on request."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clamour.actions.models import Delivery, Submission
from clamour.supporters.accounts import make_login_token
from clamour.supporters.mail import wants_email
from clamour.supporters.models import Consent, EmailOptOut, LoginToken, PrivacyLogEntry, Supporter
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import add_target, make_campaign
from clamour.testing.supporters import log_in_by_email, take_action

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = ["supporters:account", "supporters:erase"]


@pytest.fixture
def campaign():
    campaign = make_campaign("att")
    add_target(campaign)
    return campaign


@pytest.fixture
def sam(client, campaign, run_tasks):
    """Sam wrote a letter (delivered), signed a petition (pending), and is logged in."""
    take_action(client, campaign, run_tasks, body=campaign.action.letter_template + "\n\nFrom Leeds.")
    petition = make_campaign("ammo", kind="petition")
    take_action(client, petition, run_tasks, confirm=False)
    log_in_by_email(client, "sam@example.net", run_tasks)
    return Supporter.objects.get(email="sam@example.net")


POST_ONLY = ["supporters:email_preferences", "supporters:export"]


@pytest.mark.parametrize("name", ACCOUNT_PAGES + POST_ONLY)
def test_account_pages_need_a_log_in(client, name):
    response = client.get(reverse(name)) if name not in POST_ONLY else \
        client.post(reverse(name), {})
    assert response.status_code == 302 and response["Location"] == reverse("supporters:login")


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_account_pages_open_for_the_supporter(client, sam, name):
    assert client.get(reverse(name)).status_code == 200


def test_my_actions_show_delivery_status(client, sam, campaign):
    assert Delivery.objects.get().status == Delivery.Status.SENT
    html = client.get(reverse("supporters:account")).content.decode()
    assert "Campaign att" in html and "Campaign ammo" in html
    assert "To Alex Example:" in html and "delivered" in html
    assert "Waiting for you to confirm by email" in html
    assert "From Leeds." in html


def test_my_consents_show_the_wording_and_when(client, sam, campaign):
    html = client.get(reverse("supporters:account")).content.decode()
    consent = Consent.objects.filter(supporter=sam).first()
    assert consent.wording in html
    assert consent.created_at.strftime("%Y") in html


def test_referral_count_counts_confirmed_actions_through_my_link(client, sam, campaign, run_tasks):
    other = Client()
    take_action(other, campaign, run_tasks, email="a@example.net", ref=sam.referral_code)
    take_action(other, campaign, run_tasks, email="b@example.net", ref=sam.referral_code)
    take_action(other, campaign, run_tasks, email="c@example.net", ref=sam.referral_code, confirm=False)
    take_action(other, campaign, run_tasks, email="d@example.net", ref="someone-else")
    html = client.get(reverse("supporters:account")).content.decode()
    assert "Your link brought <strong data-referrals>2</strong> people." in html


def test_account_page_query_count(client, sam, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("supporters:account")).status_code == 200


def test_email_choices_opt_out_and_back_in_with_consent_recorded(client, sam):
    # Sam said yes on both actions: those boxes are ticked; news from us was never asked.
    html = client.get(reverse("supporters:account")).content.decode()
    assert 'name="topic:campaign:att" id="id_topic:campaign:att" checked' in html
    assert 'name="topic:all" id="id_topic:all">' in html
    response = client.post(reverse("supporters:email_preferences"), {
        "topic:campaign:ammo": "on", "topic:comment-replies": "on"})  # "att" unticked
    assert response.status_code == 302
    assert not wants_email(sam, "campaign:att") and wants_email(sam, "campaign:ammo")
    change = Consent.objects.filter(supporter=sam, source="account:email-preferences").get()
    assert not change.given and change.topic == "campaign:att" and "Campaign att" in change.wording
    client.post(reverse("supporters:email_preferences"), {})  # nothing ticked: stop everything
    assert EmailOptOut.objects.filter(supporter=sam, topic="all").exists()
    assert not wants_email(sam, "campaign:ammo") and not wants_email(sam, "comment-replies")
    html = client.get(reverse("supporters:account")).content.decode()
    assert " checked" not in html.split('id="email"', 1)[1].split("</form>", 1)[0]
    client.post(reverse("supporters:email_preferences"), {
        "topic:all": "on", "topic:campaign:att": "on"})
    assert wants_email(sam, "campaign:att") and wants_email(sam, "all")
    assert not wants_email(sam, "campaign:ammo")  # left unticked: stays so
    assert not wants_email(sam, "comment-replies")


def test_a_no_is_shown_as_no_and_keeps_the_person_out_of_mailings(client, run_tasks):
    """Answering No to the consent question: no box ticked, and no mailing on the topic."""
    campaign = make_campaign("att")
    add_target(campaign)
    take_action(client, campaign, run_tasks, email="nadia@example.net", consent=None)
    ammo = make_campaign("ammo")
    add_target(ammo)
    yes = take_action(Client(), ammo, run_tasks, email="yann@example.net")
    log_in_by_email(client, "nadia@example.net", run_tasks)
    nadia = Supporter.objects.get(email="nadia@example.net")
    assert Consent.objects.get(supporter=nadia).given is False
    html = client.get(reverse("supporters:account")).content.decode()
    choices = html.split('id="email"', 1)[1].split("</form>", 1)[0]
    assert 'name="topic:campaign:att"' in choices and 'name="topic:all"' in choices
    assert 'name="topic:campaign:att" id="id_topic:campaign:att" checked' not in choices
    assert 'name="topic:all" id="id_topic:all" checked' not in choices
    # The same truth decides who a mailing goes to.
    assert not nadia.may_email("campaign:att") and not nadia.may_email("all")
    assert list(Supporter.objects.may_email("campaign:att")) == []
    assert list(Supporter.objects.may_email("campaign:ammo")) == [yes.supporter]
    # Saving the page as it is changes nothing; ticking the box is a yes.
    client.post(reverse("supporters:email_preferences"), {"topic:comment-replies": "on"})
    assert not nadia.may_email("campaign:att") and nadia.may_email("comment-replies")
    client.post(reverse("supporters:email_preferences"), {"topic:campaign:att": "on"})
    assert list(Supporter.objects.may_email("campaign:att")) == [nadia]
    # A later no wins over an earlier yes.
    client.post(reverse("supporters:email_preferences"), {"topic:comment-replies": "on"})
    assert list(Supporter.objects.may_email("campaign:att")) == []


def test_export_holds_everything_about_me(client, sam):
    EmailOptOut.objects.create(supporter=sam, topic="comment-replies")
    response = client.post(reverse("supporters:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["supporter"]["email"] == "sam@example.net"
    assert data["supporter"]["name"] == "Sam Supporter"
    letter = next(a for a in data["actions"] if a["kind"] == "letter")
    assert "From Leeds." in letter["letter"]
    assert letter["status"] == "confirmed"
    assert letter["letters"] == [{"to": "Alex Example", "status": "sent", "sent_at": letter["letters"][0]["sent_at"]}]
    assert {a["status"] for a in data["actions"]} == {"confirmed", "pending"}
    assert data["consents"][0]["wording"] and data["consents"][0]["when"]
    assert data["email_opt_outs"] == [{"topic": "comment-replies", "when": data["email_opt_outs"][0]["when"]}]
    assert data["log_in_links"][0]["used_at"]
    entry = PrivacyLogEntry.objects.get()
    assert entry.kind == "export" and entry.supporter_number == sam.pk and entry.staff_username == ""


def test_export_is_a_post_with_the_csrf_token(client, sam):
    """A link or a cross-site navigation cannot make an export: only the account page's
    button (a POST carrying the CSRF token) can."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies  # Sam's logged-in browser
    assert browser.get(reverse("supporters:export")).status_code == 405
    assert browser.post(reverse("supporters:export")).status_code == 403  # no token
    assert not PrivacyLogEntry.objects.exists()
    page = browser.get(reverse("supporters:account"))
    token = page.context["csrf_token"]
    assert f'action="{reverse("supporters:export")}"' in page.content.decode()
    response = browser.post(reverse("supporters:export"), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert PrivacyLogEntry.objects.get().kind == "export"


def test_erase_needs_the_box_ticked(client, sam):
    response = client.post(reverse("supporters:erase"), {})
    assert response.status_code == 400
    assert Supporter.objects.get(pk=sam.pk).erased_at is None


def test_erasure_keeps_counts_and_deliveries_and_removes_personal_data(client, sam, campaign, run_tasks):
    action = campaign.action
    other = Client()
    take_action(other, campaign, run_tasks, email="ref@example.net", ref=sam.referral_code)
    confirmed_before = action.submissions.confirmed().count()
    old_link = make_login_token(sam)

    response = client.post(reverse("supporters:erase"), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("supporters:erased")

    sam.refresh_from_db()
    assert sam.erased_at is not None
    assert "sam@example.net" not in sam.email and sam.name == "(erased)" and sam.postcode == ""
    letter = Submission.objects.get(supporter=sam)
    assert letter.is_confirmed
    assert (letter.name, letter.email, letter.body, letter.subject) == ("(erased)", "", "", "")
    assert action.submissions.confirmed().count() == confirmed_before
    assert client.get(campaign.get_absolute_url() + "count.json").json()["count"] == confirmed_before
    assert Delivery.objects.get(submission=letter).status == Delivery.Status.SENT
    assert not Submission.objects.filter(supporter=sam, status="pending").exists()
    assert not Consent.objects.filter(supporter=sam).exists()
    assert not LoginToken.objects.filter(supporter=sam).exists()
    # The referral the erased person brought still counts for the action.
    assert Submission.objects.get(email="ref@example.net").is_confirmed
    # Logged out, and no way back in.
    assert client.get(reverse("supporters:account")).status_code == 302
    assert Client().post(reverse("supporters:login_link", args=[old_link])).status_code == 400
    mail.outbox.clear()
    client.post(reverse("supporters:login"), {"email": "sam@example.net"})
    run_tasks()
    assert mail.outbox == []
    # The privacy log names no one.
    entry = PrivacyLogEntry.objects.get(kind="erase")
    assert entry.supporter_number == sam.pk and "sam" not in entry.detail.lower()
    # Acting again with the same address makes a new person.
    take_action(Client(), campaign, run_tasks, email="sam@example.net")
    fresh = Supporter.objects.get(email="sam@example.net")
    assert fresh.pk != sam.pk and fresh.erased_at is None
    assert action.submissions.confirmed().count() == confirmed_before + 1


def test_erasure_cancels_letters_not_yet_sent(client, sam, campaign, run_tasks):
    Delivery.objects.update(status=Delivery.Status.QUEUED, sent_at=None)
    client.post(reverse("supporters:erase"), {"confirm": "on"})
    assert not Delivery.objects.exists()
    assert Submission.objects.get(supporter=sam).is_confirmed
    run_tasks()
    assert not [m for m in mail.outbox if "foreign.secretary@example.org" in str(m.to)][1:]


def test_erased_session_elsewhere_is_logged_out(client, sam, run_tasks):
    phone = Client()
    log_in_by_email(phone, "sam@example.net", run_tasks)
    client.post(reverse("supporters:erase"), {"confirm": "on"})
    assert phone.get(reverse("supporters:account")).status_code == 302
    assert "My account" not in phone.get(reverse("campaigns:home")).content.decode()


# Staff, on request.

STAFF_PAGES = ["admin:supporters_supporter_changelist", "admin:supporters_privacylogentry_changelist"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_privacy_admin_access(client, outsider, campaigner, name):
    url = reverse(name)
    assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(outsider)
    assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(campaigner)
    assert client.get(url, follow=True).redirect_chain[-1][0].startswith("/staff/setup/")
    log_in_staff(client, campaigner)
    assert client.get(url).status_code == 200


def test_staff_export_on_request_is_logged(campaigner, sam):
    staff = log_in_staff(Client(), campaigner)
    response = staff.post(reverse("admin:supporters_supporter_changelist"), {
        "action": "export_data", "_selected_action": [sam.pk]})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["supporters"][0]["supporter"]["email"] == "sam@example.net"
    entry = PrivacyLogEntry.objects.get()
    assert (entry.kind, entry.staff_username, entry.supporter_number) == ("export", "campaigner", sam.pk)


def test_staff_erasure_asks_first_then_erases_and_logs(campaigner, sam):
    staff = log_in_staff(Client(), campaigner)
    url = reverse("admin:supporters_supporter_changelist")
    response = staff.post(url, {"action": "erase_data", "_selected_action": [sam.pk]})
    assert response.status_code == 200 and "Yes, erase their data" in response.content.decode()
    assert Supporter.objects.get(pk=sam.pk).erased_at is None
    response = staff.post(url, {"action": "erase_data", "_selected_action": [sam.pk], "confirm": "yes"})
    assert response.status_code == 302
    assert Supporter.objects.get(pk=sam.pk).erased_at is not None
    entry = PrivacyLogEntry.objects.get(kind="erase")
    assert entry.staff_username == "campaigner" and entry.staff == campaigner
    assert staff.get(reverse("admin:supporters_privacylogentry_changelist")).status_code == 200


def test_staff_without_the_permission_get_no_privacy_actions(client, moderator, sam):
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(Permission.objects.get(codename="view_supporter"))
    staff = log_in_staff(Client(), moderator)
    response = staff.post(reverse("admin:supporters_supporter_changelist"), {
        "action": "erase_data", "_selected_action": [sam.pk], "confirm": "yes"})
    assert Supporter.objects.get(pk=sam.pk).erased_at is None
    assert not PrivacyLogEntry.objects.exists()
    assert response.status_code in (200, 302)


def test_letter_confirmed_but_not_yet_queued_is_not_sent_after_erasure(client, campaign, run_tasks):
    submission = take_action(client, campaign, run_tasks, confirm=False)
    mail.outbox.clear()
    from clamour.actions.submissions import confirm_submission
    from clamour.site.privacy import erase_supporter

    confirm_submission(submission)  # queues the delivery work
    erase_supporter(submission.supporter)
    run_tasks()
    assert mail.outbox == [] and not Delivery.objects.exists()
    assert campaign.action.submissions.confirmed().count() == 1


# Comments (the comments app).

def _comment(supporter, campaign, body="Governments must close the ammunition loophole."):
    from django.contrib.contenttypes.models import ContentType

    from clamour.comments.models import Comment, Thread

    thread, _ = Thread.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(campaign), object_id=campaign.pk)
    return Comment.objects.create(thread=thread, supporter=supporter, name=supporter.name, body=body,
                                  status=Comment.Status.PUBLISHED, notify_replies=True,
                                  fingerprint="f" * 32)


def test_my_comments_are_listed_exported_and_erased(client, sam, campaign, django_assert_max_num_queries):
    for i in range(5):
        _comment(sam, campaign, body=f"Comment number {i} about the treaty.")
    with django_assert_max_num_queries(14):
        html = client.get(reverse("supporters:account")).content.decode()
    assert "Comment number 4 about the treaty." in html
    assert f'{campaign.get_absolute_url()}#comment-' in html
    data = json.loads(client.post(reverse("supporters:export")).content)
    assert {c["body"] for c in data["comments"]} == {f"Comment number {i} about the treaty." for i in range(5)}
    client.post(reverse("supporters:erase"), {"confirm": "on"})
    from clamour.comments.models import Comment

    assert Comment.objects.count() == 5  # threads keep their shape
    assert set(Comment.objects.values_list("body", "name", "notify_replies", "fingerprint")) == {
        ("[erased]", "(erased)", False, "")}
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Comment number" not in page and "Sam Supporter" not in page


def test_treaty_alerts_are_exported_and_erased(client, sam):
    from clamour.treaties.models import Subscription, Treaty

    treaty = Treaty.objects.create(slug="att", title="Arms Trade Treaty")
    Subscription.objects.create(treaty=treaty, supporter=sam, status=Subscription.Status.CONFIRMED)
    data = json.loads(client.post(reverse("supporters:export")).content)
    assert data["treaty_alerts"][0]["treaty"] == "Arms Trade Treaty"
    assert data["treaty_alerts"][0]["status"] == "confirmed"
    client.post(reverse("supporters:erase"), {"confirm": "on"})
    assert not Subscription.objects.filter(supporter=sam).exists()
