"""Shared steps for the supporter tests, each done the way a person does it."""

import re

from django.core import mail
from django.urls import reverse

from clamour.actions.models import Submission
from clamour.actions.submissions import confirm_submission
from clamour.testing.factories import letter_post

LINK = re.compile(r"http://\S+/account/login/[A-Za-z0-9_\-]+/")


def take_action(client, campaign, run_tasks, *, confirm=True, **fields):
    """Write the letter through the form, confirm it, and run the queued work."""
    email = fields.get("email", "sam@example.net")
    response = client.post(reverse("actions:submit", args=[campaign.slug]), letter_post(campaign, **fields))
    assert response.status_code == 302, response.content[:500]
    submission = Submission.objects.get(action=campaign.action, email=email)
    if confirm:
        confirm_submission(submission)
    run_tasks()
    submission.refresh_from_db()
    return submission


def login_links_in(messages, to):
    return [LINK.search(m.body).group(0) for m in messages if to in m.to and LINK.search(m.body)]


def log_in_by_email(client, email, run_tasks):
    """Ask for a link, read it from the email, open it and press the button."""
    response = client.post(reverse("supporters:login"), {"email": email})
    assert response.status_code == 302
    run_tasks()
    link = login_links_in(mail.outbox, email)[-1]
    path = link.split("127.0.0.1:8000", 1)[1]
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("supporters:account")
    return client
