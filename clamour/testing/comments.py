"""Helpers for comment tests: a supporter's session, and form data a person would send."""

import time

from django.test import Client

from clamour.comments.forms import started_token
from clamour.supporters.models import Supporter
from clamour.supporters.session import SESSION_KEY


def log_in_supporter(client: Client, supporter: Supporter) -> Client:
    """What the magic-link log-in leaves in the session."""
    session = client.session
    session[SESSION_KEY] = supporter.pk
    session.save()
    return client


def make_supporter(email="sam@example.net", name="Sam Supporter"):
    return Supporter.objects.get_or_create_by_email(email, name=name)


def comment_data(
    body="The ammunition loophole has to close before the final session.",
    *,
    guest=False,
    seconds_ago=60,
    **extra,
):
    data = {"body": body, "started": started_token(time.time() - seconds_ago), "website": ""}
    if guest:
        data.update(name="Gita Guest", email="gita@example.net")
    data.update(extra)
    return {f"comment-{key}": value for key, value in data.items() if value is not None}


def post_url(target):
    from django.urls import reverse

    from clamour.comments.threads import kind_of

    return reverse("comments:post", args=[kind_of(target), target.pk])
