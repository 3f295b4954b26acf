"""Subscribing to a treaty's breakdowns (opt-in, confirmed by a POST), publishing a
breakdown, alert emails through the task queue (sent once), and the Atom feed."""

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from clamour.supporters.mail import read_unsubscribe_token
from clamour.supporters.models import Consent, EmailOptOut, Supporter
from clamour.testing.factories import make_campaign
from clamour.testing.treaties import FINAL, JULY, MARCH, add_draft, make_treaty
from clamour.treaties.mail import SUBSCRIBE_SALT, subscription_token
from clamour.treaties.models import Ask, BreakdownAlert, Subscription, Verdict

pytestmark = pytest.mark.django_db


def subscribe(client, treaty, email="reader@example.net", consent="on"):
    data = {"email": email}
    if consent:
        data["consent"] = consent
    return client.post(reverse("treaties:subscribe", args=[treaty.slug]), data)


def link_in(message):
    return re.search(r"http://\S+(/treaties/subscriptions/confirm/\S+/)", message.body).group(1)


def confirmed_subscriber(client, run_tasks, treaty, email="reader@example.net"):
    subscribe(client, treaty, email)
    run_tasks()
    message = [m for m in mail.outbox if m.to == [email]][-1]
    client.post(link_in(message))
    return Subscription.objects.get(supporter__email=email)


def test_subscribing_someone_elses_address_records_no_consent_for_them(client, run_tasks):
    treaty = make_treaty()
    subscribe(client, treaty, "victim@example.net")
    run_tasks()
    victim = Supporter.objects.get(email="victim@example.net")
    assert not victim.consents.exists() and not victim.may_email("treaty:att")
    assert len(mail.outbox) == 1  # only the confirmation, which the owner may ignore


def test_subscribe_confirm_by_post_only(client, run_tasks):
    treaty = make_treaty()
    response = subscribe(client, treaty)
    assert response.status_code == 302 and response["Location"].endswith("/check-your-email/")
    assert "Check your email" in client.get(response["Location"]).content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == "pending"
    assert not Consent.objects.exists()  # whoever typed the address agreed to nothing yet
    assert run_tasks() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.net"] and "Please confirm" in message.subject
    link = link_in(message)
    page = client.get(link)  # a mail scanner following the link confirms nothing
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "pending"
    page = client.post(link)
    assert page.status_code == 200 and "You're subscribed" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "confirmed" and subscription.confirmed_at
    consent = Consent.objects.get()  # the owner agreed by pressing the button
    assert (consent.given, consent.topic, consent.source) == (True, "treaty:att", "treaty:att")
    assert consent.wording.startswith("Email me when a new breakdown is published")
    assert list(Supporter.objects.may_email("treaty:att")) == [subscription.supporter]
    # Subscribing again says the same thing and sends nothing more.
    response = subscribe(client, treaty)
    assert response.status_code == 302
    run_tasks()
    assert len(mail.outbox) == 1 and Subscription.objects.count() == 1


def test_resubscribing_soon_does_not_flood_the_inbox(client, run_tasks):
    treaty = make_treaty()
    for _ in range(5):
        subscribe(client, treaty, "victim@example.net")
        run_tasks()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("change", ["tamper", "truncate", "other-salt", "not-an-id"])
def test_tampered_confirmation_links_are_refused(client, run_tasks, change):
    treaty = make_treaty()
    subscribe(client, treaty)
    subscription = Subscription.objects.get()
    token = subscription_token(subscription)
    bad = {
        "tamper": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "truncate": token[: len(token) // 2],
        "other-salt": signing.dumps(subscription.pk, salt="clamour.actions.confirm", compress=True),
        "not-an-id": signing.dumps("1 OR 1=1", salt=SUBSCRIBE_SALT, compress=True),
    }[change]
    url = reverse("treaties:confirm_subscription", args=[bad])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "pending"


def test_expired_confirmation_link(client, settings, run_tasks, monkeypatch):
    treaty = make_treaty()
    subscribe(client, treaty)
    token = subscription_token(Subscription.objects.get())
    settings.CONFIRMATION_MAX_AGE_DAYS = 1
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 2 * 86400)
    response = client.post(reverse("treaties:confirm_subscription", args=[token]))
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert Subscription.objects.get().status == "pending"


def test_subscribe_form_errors(client):
    treaty = make_treaty()
    response = subscribe(client, treaty, email="not an email")
    assert response.status_code == 400 and "Please check the form" in response.content.decode()
    response = subscribe(client, treaty, consent="")
    assert response.status_code == 400
    assert not Subscription.objects.exists() and not Supporter.objects.exists()
    hidden = make_treaty("hidden", is_public=False)
    assert subscribe(client, hidden).status_code == 404
    assert client.get(reverse("treaties:subscribe", args=[treaty.slug])).status_code == 405


def test_publishing_alerts_each_subscriber_once_through_tasks(client, analyst_client, run_tasks):
    campaign = make_campaign("arms-trade-treaty")
    treaty = make_treaty(campaign=campaign)
    july = add_draft(treaty, JULY, "July 2012", date(2012, 7, 26), published=True)
    ask = Ask.objects.create(treaty=treaty, title="All ammunition")
    march = add_draft(treaty, MARCH, "March 2013", date(2013, 3, 27))
    Verdict.objects.create(
        ask=ask, draft=march, status="partly", rationale="Only Article 6 applies."
    )
    run_tasks()
    mail.outbox.clear()
    confirmed_subscriber(client, run_tasks, treaty, "one@example.net")
    confirmed_subscriber(client, run_tasks, treaty, "two@example.net")
    opted_out = confirmed_subscriber(client, run_tasks, treaty, "three@example.net")
    EmailOptOut.objects.create(supporter=opted_out.supporter, topic="treaty:att")
    subscribe(client, treaty, "pending@example.net")  # never confirms
    run_tasks()
    mail.outbox.clear()

    page = analyst_client.get(reverse("treaties:staff_publish", args=[march.pk]))
    assert page.status_code == 200 and "emails 3 subscribers" in page.content.decode()
    url = reverse("treaties:staff_publish", args=[march.pk])
    assert analyst_client.post(url, {"action": "publish"}).status_code == 302
    assert analyst_client.post(url, {"action": "publish"}).status_code == 302  # a double click
    assert len(mail.outbox) == 0  # nothing is sent in the request
    run_tasks()
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.net", "two@example.net"]
    message = mail.outbox[0]
    assert message.subject == "New breakdown: March 2013 (The Arms Trade Treaty)"
    assert "All ammunition: PARTLY MET. Only Article 6 applies." in message.body
    assert "1 loophole remains." in message.body
    assert f"http://127.0.0.1:8000{march.get_absolute_url()}" in message.body
    assert "/campaigns/arms-trade-treaty/#act" in message.body
    # The unsubscribe link (and header) stops this treaty's alerts only.
    unsubscribe = re.search(r"<(http://\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    token = unsubscribe.rstrip("/").rsplit("/", 1)[-1]
    assert read_unsubscribe_token(token)[1] == "treaty:att"
    assert dict(BreakdownAlert.objects.values_list("subscription__supporter__email", "status")) == {
        "one@example.net": "sent",
        "two@example.net": "sent",
        "three@example.net": "skipped",
    }

    # Unpublishing and publishing again does not alert anyone again.
    analyst_client.post(url, {"action": "unpublish"})
    assert (
        Client().get(march.get_absolute_url()).status_code == 404
    )  # (client is logged in as staff)
    analyst_client.post(url, {"action": "publish"})
    run_tasks()
    assert len(mail.outbox) == 2
    assert "Alerts:" in analyst_client.get(url).content.decode()
    assert july.pk != march.pk


def test_feed_lists_published_breakdowns_only(client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July 2012", date(2012, 7, 26), published=True)
    add_draft(treaty, MARCH, "March 2013", date(2013, 3, 27))
    ask = Ask.objects.create(treaty=treaty, title="All ammunition")
    Verdict.objects.create(ask=ask, draft=july, status="not_met", rationale="x")
    hidden = make_treaty("hidden", is_public=False)
    add_draft(hidden, FINAL, "Secret", date(2013, 4, 2), published=True)
    for url in (reverse("treaties:feed"), reverse("treaties:treaty_feed", args=[treaty.slug])):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "application/atom+xml"
        )
        feed = ElementTree.fromstring(response.content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [e.text for e in feed.findall("a:entry/a:title", ns)]
        assert titles == ["The Arms Trade Treaty: July 2012"]
        summary = feed.find("a:entry/a:summary", ns).text
        assert "1 loophole(s) remain" in summary and "All ammunition: Not met" in summary
    assert client.get(reverse("treaties:treaty_feed", args=[hidden.slug])).status_code == 404
    page = client.get(treaty.get_absolute_url()).content.decode()
    assert 'type="application/atom+xml"' in page


def test_alert_skips_a_draft_that_was_unpublished_before_the_task_ran(client, run_tasks):
    treaty = make_treaty()
    confirmed_subscriber(client, run_tasks, treaty)
    mail.outbox.clear()
    july = add_draft(treaty, JULY, "July", date(2012, 7, 26), published=True)
    from clamour.treaties import tracker

    tracker.unpublish(july)
    run_tasks()
    assert mail.outbox == [] and not BreakdownAlert.objects.exists()


def test_an_erased_subscriber_is_not_alerted(client, run_tasks):
    from clamour.site.privacy import erase_supporter

    treaty = make_treaty()
    subscription = confirmed_subscriber(client, run_tasks, treaty)
    erase_supporter(subscription.supporter)
    mail.outbox.clear()
    add_draft(treaty, JULY, "July", date(2012, 7, 26), published=True)
    run_tasks()
    assert mail.outbox == [] and not BreakdownAlert.objects.exists()
