"""Supporters and mailings for the mailing tests."""

from importlib import import_module

from django.contrib.auth.models import Group

from clamour.actions.models import Action
from clamour.actions.submissions import record_submission
from clamour.mailings.models import Mailing
from clamour.supporters.models import Supporter
from clamour.testing.factories import make_campaign


def petition(slug, **fields):
    return make_campaign(slug, kind=Action.Kind.PETITION, **fields).action


def take(action, email, *, country="GB", consent=True, confirm=True):
    """`email` takes `action` through the same function the action form calls."""
    submission = record_submission(action, {
        "name": email.split("@")[0].title(), "email": email, "country": country,
        "consent": consent, "ref": ""})
    if confirm and not submission.is_confirmed:
        submission.confirm()
    return Supporter.objects.get(email=email)


def make_mailing(action, user=None, **fields):
    fields.setdefault("subject", "The new draft is out")
    fields.setdefault("body", "Dear {name},\n\nWrite **again**: {link}")
    return Mailing.objects.create(action=action, created_by=user, **fields)


def campaigners_group() -> Group:
    """The group the data migration gives `send_mailing` (made again here, as the
    migration does, when a transactional test has emptied the tables)."""
    from django.apps import apps

    grant = import_module("clamour.mailings.migrations.0002_campaigners_may_send").grant
    grant(apps, None)
    return Group.objects.get(name="Campaigners")


def campaigner_group_member(django_user_model, username="sender"):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "a long test password 9", is_staff=True)
    user.groups.add(campaigners_group())
    return user


def received(smtp_server) -> list[str]:
    """The envelope recipient of every mailing message the SMTP server received, in
    order (not the confirmation emails of the actions taken)."""
    return [rcpt for message, (_frm, rcpts) in zip(smtp_server.messages, smtp_server.envelopes)
            if message["X-Clamour-Mailing"] for rcpt in rcpts]


def mailing_messages(smtp_server):
    return [m for m in smtp_server.messages if m["X-Clamour-Mailing"]]
