"""The privacy notice: at /privacy/, true to this server's settings by default, edited
by staff in the admin, and linked from every page and beside every form that takes
personal data."""

import pytest
from django.test import Client
from django.urls import reverse

from clamour.supporters.models import PrivacyNotice
from clamour.testing.blog import make_post
from clamour.testing.factories import add_target, make_campaign
from clamour.testing.treaties import make_treaty

pytestmark = pytest.mark.django_db

PRIVACY = "/privacy/"


def test_the_default_notice_says_what_is_kept_for_how_long_and_the_rights(client, settings):
    settings.PENDING_RETENTION_DAYS = 45
    settings.LOGIN_LINK_RETENTION_DAYS = 3
    settings.PRIVACY_LOG_RETENTION_DAYS = 700
    settings.LOGIN_LINK_MAX_AGE_MINUTES = 25
    settings.DEFAULT_FROM_EMAIL = "Clamour <privacy@example.org>"
    response = client.get(PRIVACY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Privacy notice</h1>" in html
    for figure in ["after 45 days", "after 3 days", "700 days", "for 25 minutes"]:
        assert figure in html, figure
    assert "IP address" in html and "no third-party scripts" in html
    assert "Download my data" in html and "Erase my data" in html
    assert "privacy@example.org" in html


def test_the_pending_period_shown_is_never_shorter_than_a_confirmation_link(client, settings):
    settings.PENDING_RETENTION_DAYS = 5
    settings.CONFIRMATION_MAX_AGE_DAYS = 14
    assert "Actions never confirmed: deleted after 14 days." in client.get(PRIVACY).content.decode()


def test_staff_edit_the_notice_in_the_admin(campaigner_client, client):
    add_url = reverse("admin:supporters_privacynotice_add")
    form = campaigner_client.get(add_url)
    assert form.status_code == 200
    assert "What we keep" in form.content.decode()  # they start from the default text
    response = campaigner_client.post(add_url, {
        "body": "## Who we are\n\nWe are <script>alert(1)</script> **Example Rights**."})
    assert response.status_code == 302
    html = client.get(PRIVACY).content.decode()
    assert "<strong>Example Rights</strong>" in html and "<script>alert" not in html
    assert "Last changed" in html and "What we keep" not in html
    # One notice: it is changed, not added again.
    assert campaigner_client.get(add_url).status_code == 403
    notice = PrivacyNotice.objects.get()
    change_url = reverse("admin:supporters_privacynotice_change", args=[notice.pk])
    campaigner_client.post(change_url, {"body": "Shorter now."})
    assert "Shorter now." in client.get(PRIVACY).content.decode()


def test_only_staff_with_the_permission_reach_the_admin_page(client, outsider):
    add_url = reverse("admin:supporters_privacynotice_add")
    assert Client().get(add_url).status_code == 302  # to the log-in
    client.force_login(outsider)
    assert client.get(add_url).status_code == 302


def linked(html):
    return f'href="{PRIVACY}"' in html


def test_linked_from_the_footer_and_beside_every_form_taking_personal_data(client):
    campaign = make_campaign()
    add_target(campaign)
    page = client.get(campaign.get_absolute_url()).content.decode()
    action_form = page.split('id="act"', 1)[1].split("</form>", 1)[0]
    assert linked(action_form)
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert linked(footer)

    post = make_post("news")
    page = client.get(post.get_absolute_url()).content.decode()
    comment_form = page.split('action="/comments/', 1)[1].split("</form>", 1)[0]
    assert linked(comment_form)

    page = client.get(reverse("supporters:login")).content.decode()
    assert linked(page.split("<form", 1)[1].split("</form>", 1)[0])

    treaty = make_treaty()
    page = client.get(treaty.get_absolute_url()).content.decode()
    alert_form = page.split(reverse("treaties:subscribe", args=[treaty.slug]), 1)[1]
    assert linked(alert_form.split("</form>", 1)[0])
