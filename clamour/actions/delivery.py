"""Sending mail for actions: confirmation emails and letters to targets.

Each function is safe to run twice. Letters to targets are claimed (a conditional
UPDATE from "queued" to "sending", up to SEND_CHUNK letters at once) before they are
handed to the mail server and marked "sent" after, so a second run finds them taken
and sends nothing. Only if a worker dies between the mail server accepting a letter
and the "sent" mark being written (for the letters of one chunk together) is the
letter sent again, after SENDING_TIMEOUT, with the same Message-ID, which receiving
servers use to drop duplicates.
"""

import logging
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from clamour.core.mailretry import next_attempt
from clamour.core.signedlinks import SignedLink, confirmation_max_age
from clamour.core.tasks import WAITED_FOR, enqueue
from clamour.lib import letters
from clamour.lib.countries import country_name
from clamour.lib.smtp_errors import describe, is_temporary
from clamour.supporters.mail import supporter_email
from clamour.supporters.models import EmailOptOut

from .models import Delivery, Submission
from .targeting import NoTarget, resolve_targets

logger = logging.getLogger(__name__)

# The link that confirms a submission, emailed by `send_confirmations`.
CONFIRM = SignedLink("clamour.actions.confirm", max_age=confirmation_max_age)

# Why a submission's owner is emailed again (`send_reminders`).
REMIND_AGAIN = "again"  # someone acted again with their address
REMIND_RESEND = "resend"  # someone asked for the confirmation email again

SENDING_TIMEOUT = timedelta(minutes=10)
# Letters claimed, sent and marked sent together.
SEND_CHUNK = 25


def _domain():
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"


def confirmation_token(submission) -> str:
    return CONFIRM.make(submission.pk)


class Refused(Exception):
    """The mail server refused some emails for good; the others went."""


@task(queue_name="mail", priority=WAITED_FOR)
def send_confirmation(submission_id: int, attempt: int = 1) -> str:
    """Email a pending submission its confirmation link: "sent", "skipped" (confirmed
    or sent already) or "retry" (a temporary failure: tried again later). Raises
    Refused if the mail server refused it for good."""
    return send_confirmations.call([submission_id], attempt)


@task(queue_name="mail", priority=WAITED_FOR)
def send_confirmations(submission_ids, attempt: int = 1) -> str:
    """Email each of these pending submissions its confirmation link: the emails of a
    whole stored batch over the worker's kept SMTP sessions (EMAIL_SESSIONS at once),
    marked sent a chunk at a time.

    A temporary failure queues that one email again (send_confirmation, with backoff,
    for DELIVERY_RETRY_HOURS from the submission: clamour.core.mailretry), noting the
    relay's answer in `confirmation_error`; one refused for good does not hold up the
    others, and once they have gone the task fails with Refused, naming it (the
    supporter can still ask for it again from the thank-you page). A worker that dies
    mid-batch sends the emails of its last chunk again when the task is requeued (the
    same link, harmless).
    """
    task = send_confirmation

    pending = [
        s for s in Submission.objects.select_related("action__campaign", "supporter")
        .filter(pk__in=submission_ids).order_by("pk")
        if not s.is_confirmed and not s.confirmation_sent_at
    ]
    outcomes = Counter(skipped=len(set(submission_ids)) - len(pending))
    refused = []
    for start in range(0, len(pending), SEND_CHUNK):
        chunk, sent = pending[start:start + SEND_CHUNK], []
        messages = [_confirmation_message(submission, confirmation_token(submission))
                    for submission in chunk]
        for submission, exc in zip(chunk, send_all(messages)):
            if exc is not None:
                retry_at = next_attempt(attempt, submission.created_at) \
                    if is_temporary(exc) else None
                with transaction.atomic():
                    Submission.objects.filter(pk=submission.pk).update(
                        confirmation_error=describe(exc)[:2000])
                    if retry_at is not None:
                        enqueue(task, submission.pk, attempt + 1, run_after=retry_at)
                if retry_at is not None:
                    logger.info("Confirmation %s: temporary failure, retrying at %s: %s",
                                submission.pk, retry_at, describe(exc))
                    outcomes["retry"] += 1
                else:
                    refused.append(f"{submission.pk}: {describe(exc)}")
                continue
            sent.append(submission.pk)
        Submission.objects.filter(pk__in=sent).update(confirmation_sent_at=timezone.now(),
                                                      confirmation_error="")
        outcomes["sent"] += len(sent)
    if refused:
        raise Refused(f"{len(refused)} confirmation email(s) refused: " + "; ".join(refused))
    return _summary(outcomes, single=len(submission_ids) == 1)


def _confirmation_message(submission, token: str) -> EmailMessage:
    def context():
        campaign = submission.action.campaign.localised(translation.get_language())
        return {"submission": submission, "campaign": campaign,
                "link": settings.SITE_URL + reverse("actions:confirm", args=[token]),
                "days": settings.CONFIRMATION_MAX_AGE_DAYS}

    # Sent whatever the person's email choices: they have just asked for it.
    return supporter_email(submission.supporter, "actions/email/confirm", context,
                           topic=EmailOptOut.ALL, headers={"Auto-Submitted": "auto-generated"})


# A person is emailed again about one action (a resent confirmation link, or word that
# they took part already) at most this often, however often their address is typed.
RESEND_AFTER = timedelta(minutes=5)


@task(queue_name="mail", priority=WAITED_FOR)
def send_reminders(submission_ids, reason: str, attempt: int = 1,
                   since: str | None = None) -> str:
    """Email the owners of these submissions again, at most once per RESEND_AFTER each:

    - `reason` "again" (someone acted with their address a second time): that they
      took part already, with the confirmation link if it still waits for them;
    - "resend" (someone asked for the confirmation email again): the confirmation
      email, if the action still waits for confirmation; nothing otherwise.

    Whoever typed the address sees the same page either way; only the owner reads
    this. Each submission is claimed (a conditional UPDATE of reminder_sent_at) before
    its email goes, so running the task twice sends nothing twice.
    """
    task = send_reminders

    now = timezone.now()
    first_failure = datetime.fromisoformat(since) if since else now
    wanted = Submission.objects.filter(
        pk__in=submission_ids, supporter__erased_at__isnull=True).filter(
        Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=now - RESEND_AFTER))
    if reason == REMIND_RESEND:
        wanted = wanted.filter(status=Submission.Status.PENDING)
    with transaction.atomic():
        claimed = list(wanted.select_for_update(skip_locked=True).values_list("pk", flat=True))
        Submission.objects.filter(pk__in=claimed).update(reminder_sent_at=now)
    submissions = list(Submission.objects.select_related("action__campaign", "supporter")
                       .filter(pk__in=claimed).order_by("pk"))
    messages = [
        _confirmation_message(submission, confirmation_token(submission))
        if reason == REMIND_RESEND else _again_message(submission)
        for submission in submissions
    ]
    outcomes = Counter(skipped=len(set(submission_ids)) - len(submissions))
    refused = []
    for submission, exc in zip(submissions, send_all(messages)):
        if exc is None:
            outcomes["sent"] += 1
            continue
        retry_at = next_attempt(attempt, first_failure) if is_temporary(exc) else None
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(reminder_sent_at=None)
            if retry_at is not None:
                enqueue(task, [submission.pk], reason, attempt + 1, first_failure.isoformat(),
                        run_after=retry_at)
        if retry_at is not None:
            outcomes["retry"] += 1
        else:
            refused.append(f"{submission.pk}: {describe(exc)}")
    sent_pending = [s.pk for s in submissions if not s.is_confirmed]
    # A confirmation link that went this way ends any retries of the first email.
    Submission.objects.filter(pk__in=sent_pending, confirmation_sent_at__isnull=True,
                              reminder_sent_at=now).update(confirmation_sent_at=now,
                                                           confirmation_error="")
    if refused:
        raise Refused(f"{len(refused)} email(s) refused: " + "; ".join(refused))
    return _summary(outcomes, single=len(submission_ids) == 1)


def _again_message(submission) -> EmailMessage:
    def context():
        campaign = submission.action.campaign.localised(translation.get_language())
        link = "" if submission.is_confirmed else \
            settings.SITE_URL + reverse("actions:confirm", args=[confirmation_token(submission)])
        return {"submission": submission, "campaign": campaign, "link": link,
                "days": settings.CONFIRMATION_MAX_AGE_DAYS,
                "campaign_url": settings.SITE_URL + campaign.get_absolute_url()}

    return supporter_email(submission.supporter, "actions/email/again", context,
                           topic=EmailOptOut.ALL, headers={"Auto-Submitted": "auto-generated"})


def send_all(messages) -> list:
    """Send these messages, over up to EMAIL_SESSIONS SMTP sessions at once (each
    message waits for the relay's replies, so a relay far away sends several times as
    much that way); returns, in order, the error each met, or None."""
    if not settings.SMTP_KEPT_SESSIONS:
        return _send_per_chunk(messages)
    if settings.EMAIL_SESSIONS <= 1 or len(messages) <= 1:
        return [_send(message) for message in messages]
    return list(_senders(settings.EMAIL_SESSIONS).map(_send, messages))


def _send_per_chunk(messages) -> list:
    """Bench only (BENCH_SWITCH_OFF=smtp-sessions): Django's own way, the chunk shared
    out over EMAIL_SESSIONS sessions at once, each opened with get_connection(), sent
    with send_messages() and closed; no session outlives the chunk."""
    sessions = max(1, min(settings.EMAIL_SESSIONS, len(messages)))
    shares = [messages[n::sessions] for n in range(sessions)]
    if sessions == 1:
        results = [_send_over_one_session(shares[0])]
    else:
        results = list(_senders(sessions).map(_send_over_one_session, shares))
    errors = [None] * len(messages)
    for n, share_errors in enumerate(results):
        errors[n::sessions] = share_errors
    return errors


def _send_over_one_session(messages) -> list:
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # no session: every message of the share met the same error
        return [exc] * len(messages)
    errors = []
    try:
        for message in messages:
            try:
                connection.send_messages([message])
            except Exception as exc:
                errors.append(exc)
            else:
                errors.append(None)
    finally:
        connection.close()
    return errors


def _send(message):
    try:
        message.send()
    except Exception as exc:
        return exc
    return None


_pools = {}
_pools_lock = threading.Lock()


def _senders(size: int) -> ThreadPoolExecutor:
    """Threads that only talk SMTP (no database), kept for the process's life so each
    keeps its session (clamour.core.speed.smtp)."""
    with _pools_lock:
        if size not in _pools:
            _pools[size] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="smtp")
        return _pools[size]


def _summary(outcomes: Counter, single: bool) -> str:
    """"sent: 3, skipped: 1"; for a single email or letter just its outcome."""
    outcomes = +outcomes  # without the zeros
    if single and len(outcomes) == 1:
        return next(iter(outcomes))
    return ", ".join(f"{outcome}: {n}" for outcome, n in sorted(outcomes.items())) or "nothing to send"


@task()
def deliver_submission(submission_id: int) -> str:
    """Create one delivery per target for a confirmed letter and send each (see
    deliver_submissions). Returns "sent", "skipped", "erased", "no target" or "nothing
    to send" (or the count of each, when its letters fared differently)."""
    return deliver_submissions.call([submission_id])


@task()
def deliver_submissions(submission_ids) -> str:
    """Create the deliveries of confirmed letters, one per target, and send them: the
    letters of a whole batch of submissions (what one group commit stored during a
    spike) with a few statements for the batch rather than a dozen for each letter.

    The letters are sent here rather than by a task each: during a spike that halves
    the worker's writes. Run again (after a crash), it creates nothing twice (one
    delivery per submission and target) and sends whatever is still queued and due;
    the claim in send_deliveries makes sure nothing goes twice.
    """
    submissions = list(Submission.objects.select_related("action", "supporter")
                       .filter(pk__in=submission_ids).order_by("pk"))
    skipped = Counter()
    skipped["skipped"] = len(set(submission_ids)) - len(submissions)
    targets_of, wanted, writing = {}, [], []
    for submission in submissions:
        if not submission.is_confirmed or not submission.action.is_letter:
            skipped["skipped"] += 1
            continue
        if submission.supporter.erased_at:
            skipped["erased"] += 1  # the supporter asked for their data (and letter) to be erased
            continue
        action = submission.action
        if action.pk not in targets_of:
            targets_of[action.pk] = list(action.targets.all())
        try:
            resolution = resolve_targets(action, submission.country, submission.postcode,
                                         targets=targets_of[action.pk])
        except NoTarget as exc:
            logger.warning("Submission %s has no target any more: %s", submission.pk, exc)
            skipped["no target"] += 1
            continue
        writing.append(submission.pk)
        wanted += [Delivery(submission=submission, target=target, to_name=target.name,
                            to_email=target.email) for target in resolution.targets]
    if wanted:  # those that exist already (a second run) are left as they are
        Delivery.objects.bulk_create(wanted, ignore_conflicts=True)
    due = list(Delivery.objects.filter(submission_id__in=writing).filter(
        Q(status=Delivery.Status.QUEUED, next_attempt_at__isnull=True)
        | Q(status=Delivery.Status.SENDING)  # send_deliveries only retakes a stale claim
    ).order_by("pk").values_list("pk", flat=True))
    outcomes = []
    for start in range(0, len(due), SEND_CHUNK):
        outcomes += send_deliveries(due[start:start + SEND_CHUNK])
    return _summary(Counter(outcomes) + skipped, single=len(submission_ids) == 1)


def build_letter(delivery: Delivery) -> EmailMessage:
    submission = delivery.submission
    target = delivery.target
    # The greeting, closing and country names in the recipient's language, or else in
    # the language the supporter wrote from.
    language = (target.language if target and target.language
                else submission.supporter.email_language())
    values = {
        "supporter_name": submission.name,
        "supporter_country": country_name(submission.country, language),
        "target_name": delivery.to_name,
        "target_title": target.title if target else "",
        "target_country": (country_name(target.country, language)
                           if target and target.country else ""),
    }
    sender_name = f"{submission.name} (via {settings.SITE_NAME})"
    from_address = settings.DEFAULT_FROM_EMAIL
    if "<" in from_address:
        from_address = from_address.rsplit("<", 1)[1].rstrip(">")
    with translation.override(language):
        words = {"dear": _("Dear {name},"), "anyone": _("Dear Sir or Madam,"),
                 "closing": _("Yours sincerely,")}
    message = EmailMessage(
        subject=letters.fill(submission.subject, values),
        body=letters.compose(submission.body, values, words),
        from_email=formataddr((sender_name, from_address)),
        to=[formataddr((delivery.to_name, delivery.to_email))],
        reply_to=[formataddr((submission.name, submission.email))] if submission.reply_to_ok else None,
        headers={
            "Message-ID": f"<letter-{submission.pk}-{delivery.pk}@{_domain()}>",
            "X-Clamour-Campaign": submission.action.campaign.slug,
        },
    )
    return message


@task(queue_name="mail")
def send_delivery(delivery_id: int) -> str:
    """Send one letter to one target, at most once; retry temporary failures later."""
    return send_deliveries([delivery_id])[0]


def send_deliveries(delivery_ids) -> list[str]:
    """Send these letters, each at most once; retry temporary failures later. Returns
    an outcome per letter: "sent", "skipped" (another worker has it, or it went
    already), "retry" or "failed".

    The letters are claimed together (queued → sending, or a stale claim retaken) in
    one transaction before any is handed to the mail server, and those sent are marked
    so together afterwards: a worker that dies in between leaves at most these letters
    "sending", to go again after SENDING_TIMEOUT with the same Message-ID.
    """
    now = timezone.now()
    with transaction.atomic():
        claimable = Q(status=Delivery.Status.QUEUED) | _stale_claim(now)
        claimed = list(Delivery.objects.filter(claimable, pk__in=delivery_ids)
                       .select_for_update(skip_locked=True).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=claimed).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    outcomes = dict.fromkeys(delivery_ids, "skipped")
    sent = []
    deliveries = list(Delivery.objects.select_related(
        "submission__action__campaign", "submission__supporter", "target").filter(pk__in=claimed))
    messages = [build_letter(delivery) for delivery in deliveries]
    for delivery, message, error in zip(deliveries, messages, send_all(messages)):
        if error is not None:
            outcomes[delivery.pk] = _record_failure(delivery, error)
            continue
        delivery.status, delivery.sent_at = Delivery.Status.SENT, timezone.now()
        delivery.last_error, delivery.next_attempt_at = "", None
        delivery.retrying_since = None
        delivery.message_id = message.extra_headers["Message-ID"]
        sent.append(delivery)
        outcomes[delivery.pk] = "sent"
    Delivery.objects.bulk_update(
        sent, ["status", "sent_at", "last_error", "next_attempt_at", "retrying_since",
               "message_id"])
    return [outcomes[pk] for pk in delivery_ids]


def _record_failure(delivery, exc) -> str:
    """A temporary failure is tried again, with backoff, for DELIVERY_RETRY_HOURS from
    the first one (clamour.core.mailretry); a permanent one, or one still failing after
    that, marks the letter failed (staff can retry it)."""
    error = describe(exc)[:2000]
    now = timezone.now()
    since = delivery.retrying_since or now
    retry_at = next_attempt(delivery.attempts, since, now) if is_temporary(exc) else None
    if retry_at is not None:
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.QUEUED, last_error=error, next_attempt_at=retry_at,
                claimed_at=None, retrying_since=since,
            )
            enqueue(send_delivery, delivery.pk, run_after=retry_at)
        logger.info("Letter %s: temporary failure, retrying at %s: %s", delivery.pk, retry_at, error)
        return "retry"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, last_error=error, next_attempt_at=None, claimed_at=None,
        retrying_since=None,
    )
    logger.warning("Letter %s failed: %s", delivery.pk, error)
    return "failed"


def _stale_claim(now) -> Q:
    """Letters claimed by a worker longer than SENDING_TIMEOUT ago: it died mid-send."""
    return Q(status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)


def requeue_stale_deliveries() -> int:
    """Put back letters left "sending" for longer than SENDING_TIMEOUT (their worker
    died mid-chunk) and queue a send for each; returns how many.

    A task that is run again picks such letters up itself, but only once their claim is
    stale: a task requeued soon after the claims were made skips them, and this is what
    then sends them. The worker runs it every minute.
    """
    with transaction.atomic():
        ids = list(Delivery.objects.filter(_stale_claim(timezone.now()))
                   .select_for_update(skip_locked=True).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.QUEUED, claimed_at=None)
        for pk in ids:
            enqueue(send_delivery, pk)
    if ids:
        logger.warning("Requeued %d letter(s) left sending by a worker that stopped", len(ids))
    return len(ids)


def retry_failed(deliveries) -> int:
    """Staff asked to try failed letters again."""
    ids = list(deliveries.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.QUEUED, attempts=0,
                                                   retrying_since=None, next_attempt_at=None)
        for pk in ids:
            enqueue(send_delivery, pk)
    return len(ids)
