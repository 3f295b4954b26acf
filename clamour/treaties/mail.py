"""Email of the treaty tracker: confirming a subscription, and alerting subscribers
when a breakdown is published.

Subscribing is opt-in twice over: the person ticks the box, then confirms from the email
(opening the link shows a button; only pressing it — a POST — confirms, so mail scanners
confirm nobody). Alerts go through the task queue, one `BreakdownAlert` row per
subscriber and draft: the row is claimed before sending, so running a task again sends
nothing twice. Every alert carries the unsubscribe link for the topic `treaty:<slug>`.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django_tasks import task

from clamour.core.mailretry import next_attempt
from clamour.core.signedlinks import SignedLink, confirmation_max_age
from clamour.core.tasks import WAITED_FOR, enqueue
from clamour.lib.smtp_errors import describe, is_temporary
from clamour.supporters.mail import send_supporter_email
from clamour.supporters.models import Consent, EmailOptOut

from .models import SUBSCRIBE_CONSENT_WORDING, BreakdownAlert, Draft, Subscription, Verdict

logger = logging.getLogger(__name__)

SUBSCRIBE = SignedLink("clamour.treaties.subscribe", max_age=confirmation_max_age)
SUBSCRIBE_SALT = SUBSCRIBE.purpose
# A second request to subscribe sends a new confirmation only after this long, so a
# form cannot be used to flood someone's inbox.
RESEND_AFTER = timedelta(minutes=10)


def subscription_token(subscription: Subscription) -> str:
    return SUBSCRIBE.make(subscription.pk)


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription a link is for; None if tampered with. Raises LinkExpired for a
    genuine but old link."""
    pk = SUBSCRIBE.read(token)
    if pk is None:
        return None
    return Subscription.objects.select_related("treaty", "supporter").filter(pk=pk).first()


def request_subscription(treaty, supporter) -> Subscription:
    """Record a wish to subscribe and queue the confirmation email (if due)."""
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            treaty=treaty, supporter=supporter
        )
        due = (
            subscription.confirmation_sent_at is None
            or subscription.confirmation_sent_at < timezone.now() - RESEND_AFTER
        )
        if subscription.status == Subscription.Status.PENDING and due:
            enqueue(send_subscription_confirmation, subscription.pk)
    return subscription


def confirm_subscription(subscription: Subscription) -> bool:
    """Confirm; an explicit new opt-in lifts an earlier opt-out of this treaty's alerts."""
    with transaction.atomic():
        changed = Subscription.objects.filter(
            pk=subscription.pk,
            status=Subscription.Status.PENDING,
        ).update(status=Subscription.Status.CONFIRMED, confirmed_at=timezone.now())
        if changed:
            EmailOptOut.objects.filter(
                supporter=subscription.supporter, topic=subscription.topic
            ).delete()
            # The owner of the address agrees here, by pressing the button, to the words
            # the confirmation page shows in its language (the one active now).
            Consent.objects.create(
                supporter=subscription.supporter,
                wording=str(SUBSCRIBE_CONSENT_WORDING),
                given=True,
                topic=subscription.topic,
                source=subscription.topic,
            )
    subscription.refresh_from_db()
    return bool(changed)


@task(queue_name="mail", priority=WAITED_FOR)
def send_subscription_confirmation(subscription_id: int) -> str:
    subscription = (
        Subscription.objects.select_related("treaty", "supporter")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None or subscription.status == Subscription.Status.CONFIRMED:
        return "skipped"
    if (
        subscription.confirmation_sent_at
        and subscription.confirmation_sent_at > timezone.now() - RESEND_AFTER
    ):
        return "skipped"
    treaty = subscription.treaty

    def context():
        link = settings.SITE_URL + reverse(
            "treaties:confirm_subscription", args=[subscription_token(subscription)]
        )
        return {"treaty": treaty.localised(get_language()), "link": link,
                "days": settings.CONFIRMATION_MAX_AGE_DAYS}

    send_supporter_email(
        subscription.supporter,
        "treaties/email/confirm",
        context,
        topic=subscription.topic,
        transactional=True,
        headers={"Auto-Submitted": "auto-generated"},
    )
    Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    return "sent"


@task()
def queue_breakdown_alerts(draft_id: int) -> str:
    """One alert per confirmed subscriber; safe to run twice (the rows are unique)."""
    draft = Draft.objects.filter(pk=draft_id, published_at__isnull=False).first()
    if draft is None:
        return "not published"
    queued = 0
    with transaction.atomic():
        for subscription in Subscription.objects.filter(
            treaty_id=draft.treaty_id,
            status=Subscription.Status.CONFIRMED,
            supporter__erased_at__isnull=True,  # an erased person has no address any more
        ).iterator():
            alert, created = BreakdownAlert.objects.get_or_create(
                draft=draft, subscription=subscription
            )
            if created:
                enqueue(send_breakdown_alert, alert.pk)
                queued += 1
    return f"{queued} queued"


def breakdown_context(draft: Draft) -> dict:
    verdicts = {
        v.ask_id: v
        for v in Verdict.objects.filter(draft=draft).select_related("ask")
        if v.is_public
    }
    # In the language active now: the subscriber's, for an alert.
    language = get_language()
    asks = [ask.localised(language) for ask in draft.treaty.asks.all()]
    lines = [(ask, verdicts[ask.pk].localised(language) if ask.pk in verdicts else None)
             for ask in asks]
    loopholes = sum(1 for _ask, v in lines if v is not None and v.is_loophole)
    return {"asks": lines, "loopholes": loopholes}


@task(queue_name="mail")
def send_breakdown_alert(alert_id: int, attempt: int = 1) -> str:
    task = send_breakdown_alert

    claimed = BreakdownAlert.objects.filter(
        pk=alert_id, status=BreakdownAlert.Status.QUEUED
    ).update(status=BreakdownAlert.Status.SENDING)
    if not claimed:
        return "skipped"
    alert = BreakdownAlert.objects.select_related(
        "draft__treaty__campaign", "subscription__supporter"
    ).get(pk=alert_id)
    draft = alert.draft
    treaty = draft.treaty

    def context():  # made in the subscriber's language
        return {
            "draft": draft,
            "treaty": treaty.localised(get_language()),
            **breakdown_context(draft),
            "link": settings.SITE_URL + draft.get_absolute_url(),
            "action_link": settings.SITE_URL + treaty.action_url() if treaty.action_url() else "",
        }

    try:
        sent = send_supporter_email(
            alert.subscription.supporter, "treaties/email/breakdown", context,
            topic=f"treaty:{treaty.slug}",
        )
    except Exception as exc:
        retry_at = next_attempt(attempt, alert.created_at) if is_temporary(exc) else None
        if retry_at is not None:
            with transaction.atomic():
                BreakdownAlert.objects.filter(pk=alert_id).update(
                    status=BreakdownAlert.Status.QUEUED, error=describe(exc)
                )
                enqueue(task, alert_id, attempt + 1, run_after=retry_at)
            return "retry"
        BreakdownAlert.objects.filter(pk=alert_id).update(
            status=BreakdownAlert.Status.FAILED, error=describe(exc)
        )
        logger.warning("Breakdown alert %s failed: %s", alert_id, describe(exc))
        return "failed"
    BreakdownAlert.objects.filter(pk=alert_id).update(
        status=BreakdownAlert.Status.SENT if sent else BreakdownAlert.Status.SKIPPED,
        sent_at=timezone.now(),
    )
    return "sent" if sent else "opted out"
