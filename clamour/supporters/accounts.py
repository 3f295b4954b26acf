"""Passwordless log-in for supporters: a single-use, short-lived link sent by email.

Asking for a link does the same work whatever the address: the request only queues a
task (`send_login_link`), and the task looks the address up. So the page and its
timing say nothing about whether someone has an account. If no supporter has the
address, nothing is sent at all: a "you have no account" note would let anyone make
us email strangers. The task's copy of the typed address is removed by `prune`.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from clamour.core.tasks import WAITED_FOR, enqueue

from .mail import opt_out, send_supporter_email
from .models import (
    ASKED_EACH_TIME,
    Consent,
    EmailOptOut,
    LoginToken,
    Supporter,
    hash_token,
    normalise_email,
)


def request_login_link(email: str) -> None:
    """Queue a log-in link for `email` (sent only if someone has that address)."""
    with transaction.atomic():
        enqueue(send_login_link, normalise_email(email))


def make_login_token(supporter: Supporter, now=None) -> str:
    """A new log-in token for `supporter`; only its hash is stored."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    LoginToken.objects.create(
        supporter=supporter, token_hash=hash_token(token), created_at=now,
        expires_at=now + timedelta(minutes=settings.LOGIN_LINK_MAX_AGE_MINUTES),
    )
    return token


def login_link(token: str) -> str:
    return settings.SITE_URL + reverse("supporters:login_link", args=[token])


@task(queue_name="mail", priority=WAITED_FOR)
def send_login_link(email: str) -> str:
    supporter = Supporter.objects.active().filter(email=normalise_email(email)).first()
    if supporter is None:
        return "no account"
    token = make_login_token(supporter)
    send_supporter_email(supporter, "supporters/email/login", lambda: {
        "supporter": supporter, "link": login_link(token),
        "minutes": settings.LOGIN_LINK_MAX_AGE_MINUTES, "SITE_NAME": settings.SITE_NAME,
    }, topic=EmailOptOut.ALL, transactional=True, headers={"Auto-Submitted": "auto-generated"})
    return "sent"


class LinkState:
    VALID, USED, EXPIRED, INVALID = "valid", "used", "expired", "invalid"


def login_token_state(token: str, now=None) -> tuple[str, LoginToken | None]:
    """What a log-in link is worth right now, without using it (for the GET page)."""
    now = now or timezone.now()
    found = (LoginToken.objects.select_related("supporter")
             .filter(token_hash=hash_token(token), supporter__erased_at__isnull=True).first())
    if found is None:
        return LinkState.INVALID, None
    if found.used_at is not None:
        return LinkState.USED, found
    if found.expires_at <= now:
        return LinkState.EXPIRED, found
    return LinkState.VALID, found


def use_login_token(token: str, now=None) -> Supporter | None:
    """Spend a log-in token: the supporter it logs in, or None if it is not valid now.

    A conditional UPDATE, so two presses of the same link cannot both log in. Using one
    link also retires the supporter's other unused links.
    """
    now = now or timezone.now()
    with transaction.atomic():
        found = LoginToken.objects.usable(now).filter(
            token_hash=hash_token(token), supporter__erased_at__isnull=True
        ).select_related("supporter").first()
        if found is None:
            return None
        spent = LoginToken.objects.usable(now).filter(pk=found.pk).update(used_at=now)
        if not spent:
            return None
        LoginToken.objects.usable(now).filter(supporter=found.supporter_id).update(used_at=now)
    return found.supporter


def save_email_choices(supporter: Supporter, wanted: dict[str, bool], labels: dict[str, str],
                       getting: dict[str, bool]) -> None:
    """Make what we may send match the boxes ticked on My account › Emails I get.

    `getting` is what each box showed (Supporter.may_email); each box changed is an
    answer, recorded as a consent with the words of its label. Nothing ticked at all
    stops every mailing, as the unsubscribe-from-everything link does; anything ticked
    lifts that stop, and a box that showed unticked only because of it then gets an
    opt-out of its own, so that it stays as the person left it.
    """
    lifting = any(wanted.values()) and supporter.opt_outs.filter(topic=EmailOptOut.ALL).exists()
    with transaction.atomic():
        for topic, yes in wanted.items():
            changed = yes != getting.get(topic)
            if changed:
                Consent.objects.create(supporter=supporter, wording=str(labels[topic]),
                                       given=yes, topic=topic,
                                       source="account:email-preferences")
            if topic == EmailOptOut.ALL:
                continue  # the stop on everything is decided below
            if yes:
                EmailOptOut.objects.filter(supporter=supporter, topic=topic).delete()
            elif topic in ASKED_EACH_TIME or (lifting and not changed):
                opt_out(supporter, topic)
        if any(wanted.values()):
            EmailOptOut.objects.filter(supporter=supporter, topic=EmailOptOut.ALL).delete()
        else:
            opt_out(supporter, EmailOptOut.ALL)
