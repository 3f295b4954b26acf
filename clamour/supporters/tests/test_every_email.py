"""Every email a supporter gets in a whole journey carries a working unsubscribe link
and the List-Unsubscribe headers with one-click POST (RFC 8058)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clamour.supporters.mail import wants_email
from clamour.supporters.models import Supporter
from clamour.testing.factories import add_target, make_campaign
from clamour.testing.supporters import log_in_by_email, take_action

pytestmark = pytest.mark.django_db


def test_every_email_to_a_supporter_can_be_unsubscribed_in_one_click(client, run_tasks):
    letter = make_campaign("att")
    add_target(letter)
    petition = make_campaign("ammo", kind="petition")
    take_action(client, letter, run_tasks, confirm=False)
    confirm_link = next(m for m in mail.outbox if "/confirm/" in m.body)
    path = confirm_link.body.split("127.0.0.1:8000", 1)[1].split()[0]
    client.post(path)  # confirm through the page's button
    take_action(client, petition, run_tasks, confirm=False)
    log_in_by_email(client, "sam@example.net", run_tasks)
    run_tasks()

    supporters = set(Supporter.objects.values_list("email", flat=True))
    to_supporters = [m for m in mail.outbox if set(m.to) & supporters]
    to_others = [m for m in mail.outbox if not set(m.to) & supporters]
    assert len(to_supporters) >= 3  # two confirmations and a log-in link
    assert to_others, "the letter to the target was sent too"
    for message in to_supporters:
        header = message.extra_headers.get("List-Unsubscribe", "")
        assert header.startswith("<http") and header.endswith(">"), message.subject
        assert message.extra_headers.get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        url = header.strip("<>")
        assert url in message.body, message.subject
    # The link in the last one works as a mail client's one-click POST, without a CSRF token.
    url = to_supporters[-1].extra_headers["List-Unsubscribe"].strip("<>")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url.split("127.0.0.1:8000", 1)[1], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not wants_email(Supporter.objects.get(email="sam@example.net"), "campaign:att")
    assert reverse("supporters:unsubscribe", args=["x"]).startswith("/unsubscribe/")
