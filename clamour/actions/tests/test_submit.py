"""The supporter's journey through HTTP: submit, confirm, count, share; and every error."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from clamour.actions.delivery import confirmation_token
from clamour.actions.forms import wording_digest
from clamour.actions.models import Action, Delivery, Submission
from clamour.actions.submissions import CONFIRM_SALT
from clamour.supporters.models import Consent, Supporter
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db


def submit(client, campaign, **overrides):
    return client.post(reverse("actions:submit", args=[campaign.slug]),
                       letter_post(campaign, **overrides))


def confirm_link_from(message):
    for line in message.body.splitlines():
        if "/confirm/" in line:
            return line.strip().split("127.0.0.1:8000", 1)[-1]
    raise AssertionError("no confirmation link in the email")


def test_letter_journey_submit_confirm_deliver(client, run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    response = submit(client, campaign)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.PENDING
    assert Delivery.objects.count() == 0

    # The thank-you page asks to check email and does not count the action yet.
    page = client.get(response["Location"])
    assert b"check your email" in page.content
    assert campaign.action.public_count() == 0

    assert run_tasks() == 1
    assert len(mail.outbox) == 1
    link = confirm_link_from(mail.outbox[0])
    assert mail.outbox[0].to == ["sam@example.net"]

    # Following the link (as a mail scanner would) must not confirm.
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm" in page.content
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING

    response = client.post(link)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CONFIRMED

    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    letter = mail.outbox[-1]
    assert letter.to == ["Alex Example <foreign.secretary@example.org>"]
    assert letter.subject == "A strong treaty, Foreign Secretary"
    assert letter.body.startswith("Dear Alex Example,")
    assert "Sam Supporter" in letter.body
    assert letter.reply_to == []  # the supporter did not agree to it

    from django.core.cache import cache
    cache.clear()
    assert client.get(reverse("campaigns:count", args=[campaign.slug])).json()["count"] == 1


def test_reply_to_only_when_the_supporter_agrees(client, run_tasks):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    submit(client, campaign, reply_to_ok="on")
    run_tasks()
    assert mail.outbox[-1].reply_to == ["Sam Supporter <sam@example.net>"]


def test_without_confirmation_counts_and_delivers_at_once(client, run_tasks):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    submit(client, campaign)
    assert Submission.objects.get().status == Submission.Status.CONFIRMED
    run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert len(mail.outbox) == 1  # the letter only, no confirmation email


def test_edited_letter_is_what_gets_sent(client, run_tasks):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    body = "In my own words: ammunition must be covered, {supporter_name} {0.__class__} says."
    submit(client, campaign, body=body)
    run_tasks()
    assert "In my own words: ammunition must be covered, Sam Supporter {0.__class__} says." in mail.outbox[0].body


def test_same_email_twice_counts_once(client):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign)
    response = submit(client, campaign, email="  SAM@Example.NET ", name="Sam again")
    assert response.status_code == 302
    assert Submission.objects.count() == 1
    assert Supporter.objects.count() == 1


def test_bad_email_is_a_clear_error_and_stores_nothing(client):
    campaign = make_campaign()
    add_target(campaign)
    response = submit(client, campaign, email="not-an-email")
    assert response.status_code == 400
    assert b"Please check your email address" in response.content
    assert b'value="Sam Supporter"' in response.content  # nothing typed is lost
    assert Submission.objects.count() == 0 and Supporter.objects.count() == 0


@pytest.mark.parametrize("subject,message", [
    ("A strong treaty\r\nBcc: everyone@example.org", "Please keep the subject on one line."),
    ("A strong treaty\nnow", "Please keep the subject on one line."),
    ("A strong treaty\rnow", "Please keep the subject on one line."),
    ("A strong\x1b treaty", "invisible control character"),
    ("A strong\x85treaty", "invisible control character"),
])
def test_a_subject_that_cannot_be_a_mail_header_is_refused_at_the_form(
    client, run_tasks, subject, message
):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    response = submit(client, campaign, subject=subject)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert b"error-summary" in response.content
    # Not thanked, not counted, no letter queued to fail later.
    assert not Submission.objects.exists() and not Delivery.objects.exists()
    assert run_tasks() == 0 and mail.outbox == []


@pytest.mark.parametrize("field", ["name", "email", "country", "body", "subject"])
def test_missing_fields_are_reported(client, field):
    campaign = make_campaign()
    add_target(campaign)
    response = submit(client, campaign, **{field: ""})
    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert Submission.objects.count() == 0


def test_country_without_target_is_refused_when_the_campaigner_chose_so(client):
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY, fallback=Action.Fallback.REJECT)
    add_target(campaign, country="FR", email="fr@example.org")
    response = submit(client, campaign, country="CL")
    assert response.status_code == 400
    assert "We don\u2019t have a contact for Chile".encode() in response.content or \
        b"We don&#x27;t have a contact for Chile" in response.content
    assert Submission.objects.count() == 0


def test_country_without_target_falls_back_to_the_default(client, run_tasks):
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY,
                             fallback=Action.Fallback.DEFAULT_TARGET, require_confirmation=False)
    add_target(campaign, country="GB", is_default=True)
    add_target(campaign, country="FR", name="Camille", email="fr@example.org")
    submit(client, campaign, country="CL")
    submit(client, campaign, country="FR", email="amelie@example.net")
    run_tasks()
    sent_to = sorted(d.to_email for d in Delivery.objects.all())
    assert sent_to == ["foreign.secretary@example.org", "fr@example.org"]


def test_each_supporter_writes_to_their_own_government(client, run_tasks):
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY, require_confirmation=False)
    add_target(campaign, country="DE", name="Jona", email="de@example.org")
    add_target(campaign, country="BR", name="Rafa", email="br@example.org")
    submit(client, campaign, country="BR")
    run_tasks()
    assert [d.to_email for d in Delivery.objects.all()] == ["br@example.org"]


def test_closed_action_shows_no_form_and_refuses_late_posts(client):
    campaign = make_campaign(deadline_in=timedelta(seconds=-1))
    add_target(campaign)
    page = client.get(campaign.get_absolute_url())
    assert b"This action is closed" in page.content
    assert b'name="email"' not in page.content
    response = submit(client, campaign)
    assert response.status_code == 410
    assert b"has closed" in response.content
    assert Submission.objects.count() == 0


def test_action_closed_by_hand(client):
    campaign = make_campaign(closed=True)
    add_target(campaign)
    assert submit(client, campaign).status_code == 410
    assert Submission.objects.count() == 0


def test_confirming_after_the_deadline_is_refused(client, run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign)
    submission = Submission.objects.get()
    Action.objects.filter(pk=campaign.action.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("actions:confirm", args=[confirmation_token(submission)]))
    assert response.status_code == 410
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING


def test_tampered_confirmation_token(client):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign)
    token = confirmation_token(Submission.objects.get())
    forged = signing.dumps(token and 999, salt=CONFIRM_SALT)[:-2] + "xx"
    for bad in (token[:-3] + "abc", forged, "nonsense"):
        response = client.post(reverse("actions:confirm", args=[bad]))
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    assert Submission.objects.get().status == Submission.Status.PENDING


def test_expired_confirmation_token(client, settings):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign)
    token = confirmation_token(Submission.objects.get())
    settings.CONFIRMATION_MAX_AGE_DAYS = 0
    response = client.get(reverse("actions:confirm", args=[token]))
    assert response.status_code == 400
    assert b"expired" in response.content


def test_confirming_twice_is_harmless(client, run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign)
    url = reverse("actions:confirm", args=[confirmation_token(Submission.objects.get())])
    client.post(url)
    client.post(url)
    run_tasks()
    assert Delivery.objects.count() == 1
    assert client.get(url).content.count(b"already confirmed") == 1


def post_from_browser(**headers):
    """A submission with CSRF checks on and no token, carrying the given browser headers."""
    from django.test import Client

    campaign = make_campaign()
    add_target(campaign)
    return Client(enforce_csrf_checks=True).post(
        reverse("actions:submit", args=[campaign.slug]), letter_post(campaign), **headers)


@pytest.mark.parametrize("headers", [
    {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://sub.testserver"},
    {"HTTP_ORIGIN": "https://evil.example"},  # an older browser: Origin only
    {"HTTP_ORIGIN": "null"},
])
def test_a_form_sent_from_another_site_is_refused(headers):
    response = post_from_browser(**headers)
    assert response.status_code == 403
    assert b"Nothing was sent" in response.content
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("headers", [
    {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
    {"HTTP_SEC_FETCH_SITE": "none"},
    {"HTTP_ORIGIN": "http://testserver"},
    {},  # no browser headers at all: not a browser that could be tricked
])
def test_a_form_sent_from_this_site_is_taken_without_a_token(headers):
    assert post_from_browser(**headers).status_code == 302
    assert Submission.objects.count() == 1


def test_the_site_urls_origin_is_taken_behind_a_proxy(settings):
    settings.SITE_URL = "https://act.example.org"  # TLS ends at the proxy: the app sees http
    response = post_from_browser(HTTP_ORIGIN="https://act.example.org")
    assert response.status_code == 302


def test_a_trusted_origin_is_taken(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://campaigns.example.org"]
    response = post_from_browser(HTTP_SEC_FETCH_SITE="cross-site",
                                 HTTP_ORIGIN="https://campaigns.example.org")
    assert response.status_code == 302


def test_consent_wording_is_stored_exactly(client):
    campaign = make_campaign()
    add_target(campaign)
    wording = campaign.action.consent_wording
    submit(client, campaign, consent_digest=wording_digest(wording))
    submission = Submission.objects.get()
    assert submission.consent_given is True
    assert submission.consent_wording == wording
    consent = Consent.objects.get()
    assert (consent.wording, consent.given) == (wording, True)


def test_no_consent_is_recorded_as_no(client):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign, consent=None)
    assert Consent.objects.get().given is False


def test_changed_consent_wording_is_asked_again(client):
    campaign = make_campaign()
    add_target(campaign)
    response = submit(client, campaign, consent_digest=wording_digest("older words"))
    assert response.status_code == 400
    assert b"has changed" in response.content
    assert Submission.objects.count() == 0


def test_referral_is_attributed_to_the_referrer(client):
    campaign = make_campaign()
    add_target(campaign)
    submit(client, campaign)
    code = Supporter.objects.get().referral_code
    page = client.get(campaign.get_absolute_url() + f"?ref={code}")
    assert f'value="{code}"'.encode() in page.content
    submit(client, campaign, email="friend@example.net", ref=code)
    assert Submission.objects.get(email="friend@example.net").referral_code == code


def test_own_referral_code_is_not_a_referral(client):
    campaign = make_campaign()
    other = make_campaign("other")
    add_target(campaign)
    add_target(other)
    submit(client, campaign)
    code = Supporter.objects.get().referral_code
    submit(client, other, ref=code)
    assert Submission.objects.get(action=other.action).referral_code == ""


def test_thank_you_page_has_share_links_with_referral_code_and_no_foreign_scripts(client):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    response = submit(client, campaign)
    page = client.get(response["Location"])
    code = Supporter.objects.get().referral_code
    html = page.content.decode()
    for network in ("wa.me", "mailto:", "x.com/intent", "facebook.com/sharer", "bsky.app",
                    "t.me/share", "share/mastodon", 'id="share-url"'):
        assert network in html, network
    assert f"ref%3D{code}" in html or f"ref={code}" in html
    assert "<script src=\"http" not in html and "<script src=\"//" not in html
    assert "Your letter is on its way" in html


def test_thanks_page_cannot_be_guessed(client):
    campaign = make_campaign()
    add_target(campaign)
    url = reverse("actions:thanks", args=[campaign.slug, "1"])
    assert client.get(url).status_code == 404


def test_petition_flow(client, run_tasks):
    campaign = make_campaign("petition", kind=Action.Kind.PETITION)
    page = client.get(campaign.get_absolute_url())
    assert b'name="body"' not in page.content and b'name="comment"' in page.content
    response = client.post(reverse("actions:submit", args=[campaign.slug]), {
        "name": "Pat Petitioner", "email": "pat@example.net", "country": "KE",
        "comment": "Bullets kill.",
    })
    assert response.status_code == 302
    run_tasks()
    client.post(confirm_link_from(mail.outbox[0]))
    submission = Submission.objects.get()
    assert submission.is_confirmed and submission.comment == "Bullets kill."
    run_tasks()
    assert Delivery.objects.count() == 0  # petitions are delivered by hand, not per signature


def test_hostile_input_is_stored_as_text_and_never_rendered_as_html(client):
    campaign = make_campaign()
    add_target(campaign)
    response = submit(client, campaign, name="<script>alert(1)</script>", email="bad@")
    assert response.status_code == 400
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_oversized_letter_is_refused(client):
    campaign = make_campaign()
    add_target(campaign)
    response = submit(client, campaign, body="word " * 5000)
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_submit_path_query_count(client, django_assert_max_num_queries):
    campaign = make_campaign()
    add_target(campaign)
    # campaign+action, targets, supporter lookup+insert, submission insert, consent,
    # task insert; the rest are savepoints (no disk writes) around the transaction and
    # the inserts that may race.
    with django_assert_max_num_queries(15):
        response = submit(client, campaign)
    assert response.status_code == 302


def test_forms_do_not_share_what_they_may_change():
    from clamour.actions.forms import SubmissionForm

    campaign = make_campaign()
    first = SubmissionForm(action=campaign.action)
    second = SubmissionForm(action=campaign.action)
    first.fields["country"].widget.attrs["data-x"] = "1"
    first.fields["country"].error_messages["invalid_choice"] = "changed"
    assert "data-x" not in second.fields["country"].widget.attrs
    assert second.fields["country"].error_messages["invalid_choice"] != "changed"
    assert ("FR", "France") in list(second.fields["country"].choices)
    bad = SubmissionForm({"country": "XX"}, action=campaign.action)
    assert not bad.is_valid() and "country" in bad.errors
