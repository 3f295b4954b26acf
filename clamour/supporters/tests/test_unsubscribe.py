import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clamour.supporters.mail import send_to_supporter, unsubscribe_token, wants_email
from clamour.supporters.models import EmailOptOut, Supporter
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def supporter():
    """Sam said yes to emails about the campaign "att"."""
    sam = Supporter.objects.create(email="sam@example.net", name="Sam")
    sam.consents.create(wording="Yes, email me", given=True, topic="campaign:att", source="action:1")
    assert wants_email(sam, "campaign:att")
    return sam


def test_confirmation_email_carries_unsubscribe_link_and_headers(client, run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    client.post(reverse("actions:submit", args=[campaign.slug]), letter_post(campaign))
    run_tasks()
    message = mail.outbox[0]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    path = url.split("127.0.0.1:8000", 1)[1]
    assert client.get(path).status_code == 200
    assert not EmailOptOut.objects.exists()  # opening the link changes nothing


def test_one_click_post_without_csrf_token_unsubscribes(supporter):
    strict = Client(enforce_csrf_checks=True)
    url = reverse("supporters:unsubscribe", args=[unsubscribe_token(supporter)])
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not wants_email(supporter, "campaign:att")


def test_topic_unsubscribe_stops_only_that_topic(client, supporter):
    client.post(reverse("supporters:unsubscribe", args=[unsubscribe_token(supporter, "comment-replies")]))
    assert not wants_email(supporter, "comment-replies")
    assert wants_email(supporter, "campaign:att")


def test_mailings_respect_opt_out_but_transactional_mail_goes(supporter):
    EmailOptOut.objects.create(supporter=supporter, topic=EmailOptOut.ALL)
    assert send_to_supporter(supporter, "News", "Hello", topic="campaign:att") is False
    assert send_to_supporter(supporter, "Confirm", "Link", topic="all", transactional=True) is True
    assert len(mail.outbox) == 1 and "Unsubscribe" in mail.outbox[0].body


def test_tampered_unsubscribe_link(client, supporter):
    token = unsubscribe_token(supporter)
    response = client.post(reverse("supporters:unsubscribe", args=[token[:-2] + "zz"]))
    assert response.status_code == 400
    assert not EmailOptOut.objects.exists()
