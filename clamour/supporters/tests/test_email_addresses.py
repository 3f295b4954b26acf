"""Every public form takes an email address through one field: control characters are
refused with a clear message, and what is stored is one spelling per mailbox."""

import pytest
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.comments.models import Comment
from clamour.supporters.models import Supporter
from clamour.testing.blog import make_post
from clamour.testing.comments import comment_data, post_url
from clamour.testing.factories import add_target, letter_post, make_campaign
from clamour.testing.treaties import make_treaty
from clamour.treaties.models import Subscription

pytestmark = pytest.mark.django_db

HOSTILE = ['"a\x01b"@example.net', '"a\x7fb"@example.net', '"a\x85b"@example.net',
           'a\tb@example.net']
MESSAGE = "cannot contain invisible control characters"


def forms_with_an_email():
    """(name, how to post an address, what it would have stored) for each public form."""

    def action(client, email):
        campaign = make_campaign()
        add_target(campaign)
        return client.post(reverse("actions:submit", args=[campaign.slug]),
                           letter_post(campaign, email=email))

    def comment(client, email):
        post = make_post("news")
        return client.post(post_url(post), comment_data(guest=True, email=email))

    def login(client, email):
        return client.post(reverse("supporters:login"), {"email": email})

    def subscribe(client, email):
        treaty = make_treaty()
        return client.post(reverse("treaties:subscribe", args=[treaty.slug]),
                           {"email": email, "consent": "on"})

    return [("action", action), ("comment", comment), ("login", login),
            ("subscribe", subscribe)]


@pytest.mark.parametrize("email", HOSTILE)
@pytest.mark.parametrize("name,send", forms_with_an_email())
def test_control_characters_in_an_address_are_refused_on_every_form(
    client, run_tasks, name, send, email
):
    response = send(client, email)
    assert response.status_code == 400, name
    assert MESSAGE in response.content.decode()
    assert not Supporter.objects.exists()
    assert not Submission.objects.exists() and not Comment.objects.exists()
    assert not Subscription.objects.exists()
    assert run_tasks() == 0  # no email queued to it


@pytest.mark.parametrize("name,send", forms_with_an_email())
def test_every_form_stores_one_spelling_per_mailbox(client, run_tasks, name, send):
    response = send(client, "  Rae.Reader@Example.NET ")
    assert response.status_code == 302, name
    run_tasks()
    if name == "login":
        return  # nobody is created by asking for a link
    assert list(Supporter.objects.values_list("email", flat=True)) == ["rae.reader@example.net"]
