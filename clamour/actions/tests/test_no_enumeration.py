"""The action form tells nobody whether an address took part: a known address gets the
page a new one gets, and the news goes to the address's owner by email. A lost
confirmation email can be sent again, to the address only, and not too often."""

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clamour.actions.models import Submission
from clamour.actions.submissions import confirm_submission
from clamour.supporters.models import Supporter
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = make_campaign()
    add_target(campaign)
    return campaign


def act(client, campaign, **fields):
    return client.post(reverse("actions:submit", args=[campaign.slug]),
                       letter_post(campaign, **fields))


def page_as_seen(client, response, email):
    """The thank-you page, with what differs from person to person anyway (the address
    typed, the link's token and referral code, the form token) taken out."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode().replace(email, "EMAIL")
    html = re.sub(r"/thanks/[^/\"]+/", "/thanks/TOKEN/", html)
    html = re.sub(r"%2Fthanks%2F.*?%2F", "%2Fthanks%2FTOKEN%2F", html)  # language links
    html = re.sub(r"ref(=|%3D)[\w-]+", "ref=CODE", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def confirm_links(messages):
    return [re.search(r"https?://\S+?(/confirm/\S+/)", m.get_content()).group(1)
            for m in messages if "/confirm/" in m.get_content()]


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_known_address_gets_the_page_a_new_one_gets(client, campaign, run_tasks,
                                                      smtp_settings, confirmed):
    act(Client(), campaign, email="owner@example.net", name="Olive Owner")
    run_tasks()
    if confirmed:
        confirm_submission(Submission.objects.get())
        run_tasks()
    before = len(smtp_settings.messages)

    stranger = Client()
    known_response = act(stranger, campaign, email="owner@example.net", name="Mallory")
    new_response = act(stranger, campaign, email="fresh@example.net", name="Mallory")
    # Not even the address of the page tells: the same length, and nothing readable.
    known_url, new_url = known_response["Location"], new_response["Location"]
    assert len(known_url) == len(new_url) and known_url != new_url
    for url in (known_url, new_url):
        token = url.rstrip("/").rsplit("/", 1)[1]
        sealed = token.split(":", 1)[0] + "=="
        assert b"Mallory" not in base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    known = page_as_seen(stranger, known_response, "owner@example.net")
    new = page_as_seen(stranger, new_response, "fresh@example.net")
    assert known == new
    assert "check your email" in known and "already" not in known.lower()
    assert "Olive" not in known

    # The news goes to the owner, by email, through the worker.
    assert len(smtp_settings.messages) == before
    run_tasks()
    to_owner = [m for m in smtp_settings.messages[before:] if m["To"] == "owner@example.net"]
    [notice] = [m for m in to_owner if "already taken part" in m["Subject"]]
    body = notice.get_content()
    assert "Hello Olive Owner" in body and "Mallory" not in body
    assert notice["List-Unsubscribe"]  # sent through the supporter-email choke point
    if confirmed:
        assert "/confirm/" not in body
    else:  # with the confirmation link, which works
        [link] = confirm_links([notice])
        Client().post(link)
        assert Submission.objects.get(email="owner@example.net").is_confirmed
    assert Submission.objects.filter(email="owner@example.net").count() == 1


def test_the_owner_is_not_flooded_when_their_address_is_typed_again_and_again(
        client, campaign, run_tasks, smtp_settings):
    act(client, campaign, email="owner@example.net")
    run_tasks()
    for _ in range(4):
        act(Client(), campaign, email="owner@example.net")
    run_tasks()
    notices = [m for m in smtp_settings.messages if "already taken part" in m["Subject"]]
    assert len(notices) == 1
    Submission.objects.update(reminder_sent_at=timezone.now() - timedelta(minutes=6))
    act(Client(), campaign, email="owner@example.net")
    run_tasks()
    notices = [m for m in smtp_settings.messages if "already taken part" in m["Subject"]]
    assert len(notices) == 2


def test_no_confirmation_action_thanks_by_the_name_typed(client, run_tasks):
    campaign = make_campaign(require_confirmation=False)
    add_target(campaign)
    act(Client(), campaign, email="owner@example.net", name="Olive Owner")
    response = act(client, campaign, email="owner@example.net", name="Mallory")
    page = client.get(response["Location"]).content.decode()
    assert "Thank you, Mallory!" in page and "Olive" not in page


def test_acting_again_costs_no_more_queries_than_acting(client, campaign,
                                                       django_assert_max_num_queries):
    act(Client(), campaign, email="owner@example.net")
    with django_assert_max_num_queries(15):
        assert act(client, campaign, email="owner@example.net").status_code == 302


def test_resend_on_the_pending_page_sends_the_confirmation_again(client, campaign,
                                                                run_tasks, smtp_settings):
    response = act(client, campaign)
    run_tasks()
    thanks = response["Location"]
    page = client.get(thanks).content.decode()
    resend = reverse("actions:resend", args=[campaign.slug, thanks.rstrip("/").rsplit("/", 1)[1]])
    assert f'action="{resend}"' in page and "Send the email again" in page
    assert client.get(resend).status_code == 405  # only the button does it

    response = client.post(resend)
    assert response.status_code == 302 and "resent=1" in response["Location"]
    assert "we have sent the link to" in client.get(response["Location"]).content.decode()
    run_tasks()
    links = confirm_links(smtp_settings.messages)
    assert len(links) == 2 and all(m["To"] == "sam@example.net" for m in smtp_settings.messages)

    client.post(resend)  # again at once: nothing more goes
    run_tasks()
    assert len(smtp_settings.messages) == 2
    Submission.objects.update(reminder_sent_at=timezone.now() - timedelta(minutes=6))
    client.post(resend)
    run_tasks()
    assert len(smtp_settings.messages) == 3
    Client().post(confirm_links(smtp_settings.messages)[-1])
    assert Submission.objects.get().is_confirmed

    # Confirmed: the same answer, and nothing sent.
    run_tasks()  # (the letter to the target)
    sent = len(smtp_settings.messages)
    Submission.objects.update(reminder_sent_at=None)
    response = client.post(resend)
    assert response.status_code == 302 and "resent=1" in response["Location"]
    run_tasks()
    assert len(smtp_settings.messages) == sent


def test_resend_from_the_page_of_someone_who_typed_a_known_address(client, campaign,
                                                                  run_tasks, smtp_settings):
    act(Client(), campaign, email="owner@example.net")
    run_tasks()
    Submission.objects.update(reminder_sent_at=timezone.now() - timedelta(minutes=6))
    response = act(client, campaign, email="owner@example.net", name="Mallory")
    resend = response["Location"] + "resend/"
    assert client.post(resend).status_code == 302
    run_tasks()
    # Only ever to the owner's address; the page showed nothing of theirs.
    assert {m["To"] for m in smtp_settings.messages} == {"owner@example.net"}


def test_resend_is_limited_per_network_address(client, campaign, settings):
    settings.SUBMIT_RATE_PER_IP = (3, 60)
    response = act(client, campaign)
    resend = response["Location"] + "resend/"
    assert [client.post(resend).status_code for _ in range(4)] == [302, 302, 302, 429]


def test_a_tampered_thanks_link_cannot_resend(client, campaign):
    act(client, campaign)
    assert client.post(reverse("actions:resend", args=[campaign.slug, "abc"])).status_code == 404
    assert Supporter.objects.count() == 1
