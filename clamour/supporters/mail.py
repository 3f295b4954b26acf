"""Email to supporters: every message carries an unsubscribe link and the
List-Unsubscribe headers (with RFC 8058 one-click POST), and mailings respect opt-outs.

Topics name what the person can stop: "all", "campaign:<slug>", "comment-replies",
"treaty:<slug>" … A topic opt-out stops that topic; "all" stops every mailing.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clamour.core.signedlinks import SignedLink

from .models import EmailOptOut, Supporter

# No expiry: an unsubscribe link in an old email must still work.
UNSUBSCRIBE = SignedLink("clamour.supporters.unsubscribe", max_age=None, kind=dict)
UNSUBSCRIBE_SALT = UNSUBSCRIBE.purpose


def unsubscribe_token(supporter: Supporter, topic: str = EmailOptOut.ALL) -> str:
    return UNSUBSCRIBE.make({"s": supporter.pk, "t": topic})


def read_unsubscribe_token(token: str) -> tuple[Supporter, str] | None:
    data = UNSUBSCRIBE.read(token)
    if data is None:
        return None
    supporter = Supporter.objects.filter(pk=data.get("s")).first()
    if supporter is None or not isinstance(data.get("t"), str):
        return None
    return supporter, data["t"]


def unsubscribe_url(supporter: Supporter, topic: str = EmailOptOut.ALL) -> str:
    return settings.SITE_URL + reverse("supporters:unsubscribe", args=[unsubscribe_token(supporter, topic)])


def wants_email(supporter: Supporter, topic: str) -> bool:
    """Whether a mailing on `topic` may go to this person (Supporter.may_email: they
    said yes to it and did not opt out since)."""
    return supporter.may_email(topic)


def opt_out(supporter: Supporter, topic: str) -> None:
    EmailOptOut.objects.get_or_create(supporter=supporter, topic=topic)


def supporter_email(supporter: Supporter, template: str, context, *, topic: str,
                    headers: dict | None = None) -> EmailMessage:
    """The email `template` ("app/email/name": name.txt is the body, name_subject.txt
    the subject) to a supporter, written in their language (Supporter.email_language),
    with the unsubscribe footer and headers. Every templated email to a supporter is
    made here.

    `context` is a dict, or a function returning one: it is called in the supporter's
    language, so the links it makes with reverse() lead to pages in that language.
    """
    with translation.override(supporter.email_language()):
        values = context() if callable(context) else context
        body = render_to_string(f"{template}.txt", values)
        subject = render_to_string(f"{template}_subject.txt", values).strip()
        return supporter_message(supporter, subject, body, topic=topic, headers=headers)


def send_supporter_email(supporter: Supporter, template: str, context, *, topic: str,
                         transactional: bool = False, headers: dict | None = None) -> bool:
    """Send `supporter_email(…)` unless the supporter opted out of the topic (see
    send_to_supporter). Returns whether it was sent."""
    if not transactional and not wants_email(supporter, topic):
        return False
    supporter_email(supporter, template, context, topic=topic, headers=headers).send()
    return True


def supporter_message(supporter: Supporter, subject: str, body: str, *, topic: str,
                      to: str | None = None, headers: dict | None = None) -> EmailMessage:
    """An email to a supporter with the unsubscribe footer and headers, the footer and
    its link in the supporter's language."""
    with translation.override(supporter.email_language()):
        url = unsubscribe_url(supporter, topic)
        footer = "\n\n-- \n" + _("Don't want these emails? Unsubscribe: %(url)s") % {"url": url}
    all_headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        **(headers or {}),
    }
    return EmailMessage(subject=subject, body=body.rstrip() + footer, to=[to or supporter.email],
                        headers=all_headers)


def send_to_supporter(supporter: Supporter, subject: str, body: str, *, topic: str,
                      transactional: bool = False, headers: dict | None = None) -> bool:
    """Send unless the supporter opted out of the topic. `transactional` is for email the
    person has just asked for (confirmation, log-in link): it goes regardless, still
    with the unsubscribe link. Returns whether it was sent."""
    if not transactional and not wants_email(supporter, topic):
        return False
    supporter_message(supporter, subject, body, topic=topic, headers=headers).send()
    return True
