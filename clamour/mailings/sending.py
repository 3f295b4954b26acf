"""Sending a mailing: scheduling, building its recipients, sending in batches,
cancelling, test sends, and marking addresses that bounced.

Every message goes through the supporters app's one choke point for supporter email
(`supporter_message`: the unsubscribe link and one-click List-Unsubscribe headers).

Each recipient is claimed (queued → sending, in a transaction that locks the mailing)
before its message is handed to the mail server and marked sent after, a chunk at a
time, so a batch task that runs twice, or two workers at once, send nothing twice. A
worker that dies between the mail server accepting a message and the "sent" mark
leaves at most one chunk "sending"; once the claim is stale (TASK_ABANDONED_MINUTES, when
the task itself counts as abandoned) it is claimed again and sent with the same
Message-ID, by which receiving servers drop the duplicate.

Each batch task queues the next one before it sends, so with several workers the
batches of one mailing go out side by side; the chain ends when nothing is left.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, Q, Value
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from clamour.actions.delivery import send_all
from clamour.core.mailretry import next_attempt, retry_delay
from clamour.core.tasks import WAITED_FOR, enqueue
from clamour.lib.smtp_errors import describe, is_temporary
from clamour.supporters.mail import supporter_message
from clamour.supporters.models import Supporter, normalise_email

from .models import BouncedAddress, Mailing, Recipient

logger = logging.getLogger(__name__)

# Recipients claimed by one batch task, and sent and marked sent together.
BATCH = 200
CHUNK = 25
HOUR = timedelta(hours=1)


class NotAllowed(Exception):
    pass


# Writing.

def compose(mailing: Mailing, supporter) -> tuple[str, str]:
    """The subject and body for one person: {name} and {link} filled in."""
    link = mailing.link()
    body = mailing.body.replace("{name}", supporter.name or "")
    if link:
        body = body.replace("{link}", link) if "{link}" in body else f"{body.rstrip()}\n\n{link}"
    return mailing.subject.replace("{name}", supporter.name or ""), body


def build_message(mailing: Mailing, supporter, *, to=None, message_id=None):
    subject, body = compose(mailing, supporter)
    headers = {"X-Clamour-Mailing": mailing.code, "Precedence": "bulk"}
    if message_id:
        headers["Message-ID"] = message_id
    return supporter_message(supporter, subject, body, topic=mailing.topic, to=to,
                             headers=headers)


def queue_test(mailing: Mailing, user) -> None:
    """Send the mailing to the staff member themself (in the background)."""
    enqueue(send_test, mailing.pk, user.email, user.get_full_name() or user.username)


@task(queue_name="mail", priority=WAITED_FOR)
def send_test(mailing_id: int, email: str, name: str) -> str:
    mailing = Mailing.objects.select_related("action__campaign", "link_action__campaign").get(
        pk=mailing_id)
    # Someone who is not a supporter: its unsubscribe link leads nowhere.
    stand_in = Supporter(pk=0, name=name, email=email)
    message = build_message(mailing, stand_in)
    message.subject = f"[TEST] {message.subject}"
    message.send()
    return "sent"


# Starting, stopping.

def schedule(mailing: Mailing, user, when=None) -> None:
    """Send the mailing now, or at `when`: its audience is taken at that moment."""
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.status != Mailing.Status.DRAFT:
            raise NotAllowed("This mailing has been sent or scheduled already.")
        locked.status, locked.sent_by = Mailing.Status.QUEUED, user
        locked.send_at = when or timezone.now()
        locked.save(update_fields=["status", "sent_by", "send_at"])
        enqueue(start_mailing, mailing.pk, run_after=when)
    mailing.refresh_from_db()


def cancel(mailing: Mailing) -> int:
    """Stop a scheduled or sending mailing: what no worker has claimed is not sent.
    Returns how many copies were cancelled."""
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if not locked.is_active():
            raise NotAllowed("Only a scheduled or sending mailing can be cancelled.")
        Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.CANCELLED,
                                                    finished_at=timezone.now())
        count = locked.recipients.filter(status=Recipient.Status.QUEUED).update(
            status=Recipient.Status.CANCELLED)
    mailing.refresh_from_db()
    return count


def build_recipients(mailing: Mailing) -> int:
    """Store one queued copy per person in the audience, in the database in one
    statement (the audience is never loaded into memory); run again, it adds only
    who is missing. Returns how many were added."""
    rows = mailing.audience().order_by().annotate(
        copy_mailing=Value(mailing.pk), copy_status=Value(Recipient.Status.QUEUED),
        copy_attempts=Value(0), copy_blank=Value(""),
    ).values_list("copy_mailing", "pk", "copy_status", "copy_attempts", "copy_blank", "copy_blank")
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Recipient._meta.db_table)
    with connection.cursor() as cursor:
        # The audience always has a WHERE clause, which SQLite needs to tell ON CONFLICT
        # from a join.
        cursor.execute(
            f"INSERT INTO {table} (mailing_id, supporter_id, status, attempts, message_id, detail)"
            f" {sql} ON CONFLICT (mailing_id, supporter_id) DO NOTHING", params)
        return cursor.rowcount


@task()
def start_mailing(mailing_id: int) -> str:
    """The scheduled time has come: build the recipients and start the batches."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.status not in (Mailing.Status.QUEUED, Mailing.Status.SENDING):
            return "not scheduled"
        added = 0
        if mailing.status == Mailing.Status.QUEUED:
            added = build_recipients(mailing)
            mailing.status, mailing.started_at = Mailing.Status.SENDING, timezone.now()
            mailing.save(update_fields=["status", "started_at"])
        enqueue(send_batch, mailing.pk)
    return f"{added} recipients"


# Sending.

def stale_claim() -> timedelta:
    """A claim older than this belongs to a worker that died mid-batch."""
    return timedelta(minutes=settings.TASK_ABANDONED_MINUTES)


def _due(now) -> Q:
    queued = Q(status=Recipient.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return queued | Q(status=Recipient.Status.SENDING, claimed_at__lt=now - stale_claim())


def _claim(mailing_id: int, now) -> tuple[Mailing | None, list[int], str]:
    """Lock the mailing, check it may send now (not cancelled, not paused, within its
    hourly cap), claim the next batch and queue the task for the one after."""
    task = send_batch
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update(of=("self",)).select_related(
            "action__campaign", "link_action__campaign").filter(pk=mailing_id).first()
        if mailing is None or mailing.status != Mailing.Status.SENDING:
            return None, [], "not sending"
        if mailing.paused_until and mailing.paused_until > now:
            enqueue(task, mailing_id, run_after=mailing.paused_until)
            return None, [], "paused"
        size = BATCH
        if mailing.hourly_cap:
            window = mailing.recipients.filter(claimed_at__gt=now - HOUR)
            size = min(size, mailing.hourly_cap - window.count())
            if size <= 0:
                oldest = window.aggregate(oldest=Min("claimed_at"))["oldest"]
                enqueue(task, mailing_id, run_after=oldest + HOUR)
                return None, [], "capped"
        claimed = list(mailing.recipients.filter(_due(now)).order_by("pk")
                       .select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
        if claimed:
            Recipient.objects.filter(pk__in=claimed).update(
                status=Recipient.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
            enqueue(task, mailing_id)  # the next batch, by whichever worker is free
            return mailing, claimed, "claimed"
        # Nothing due now: wait for a retry or a stale claim, or finish.
        waiting = mailing.recipients.filter(status__in=[
            Recipient.Status.QUEUED, Recipient.Status.SENDING]).aggregate(
            retry=Min("next_attempt_at", filter=Q(status=Recipient.Status.QUEUED)),
            claim=Min("claimed_at", filter=Q(status=Recipient.Status.SENDING)))
        later = [t for t in (waiting["retry"], waiting["claim"] and waiting["claim"] + stale_claim()) if t]
        if later:
            enqueue(task, mailing_id, run_after=min(later))
            return None, [], "waiting"
    _finish_if_done(mailing_id)
    return None, [], "done"


def _finish_if_done(mailing_id: int) -> None:
    left = Recipient.objects.filter(mailing_id=mailing_id, status__in=[
        Recipient.Status.QUEUED, Recipient.Status.SENDING])
    if not left.exists():
        Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=timezone.now())


@task(queue_name="mail")
def send_batch(mailing_id: int) -> str:
    """Claim and send the mailing's next batch. Safe to run twice and on several
    workers at once. Returns a summary such as "sent: 200"."""
    now = timezone.now()
    mailing, claimed, state = _claim(mailing_id, now)
    if not claimed:
        return state
    recipients = list(Recipient.objects.select_related("supporter").filter(pk__in=claimed)
                      .order_by("pk"))
    # Asked again at the moment of sending: who opted out, was erased, bounced or
    # withdrew consent since the mailing was queued is no longer in the audience.
    still_in = set(mailing.audience(among=[r.supporter_id for r in recipients])
                   .values_list("pk", flat=True))
    outcomes = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    skipped = [r.pk for r in recipients if r.supporter_id not in still_in]
    Recipient.objects.filter(pk__in=skipped).update(
        status=Recipient.Status.SKIPPED, claimed_at=None,
        detail="No longer in the audience at sending time (opted out, erased, bounced or consent withdrawn).")
    outcomes["skipped"] = len(skipped)
    sending = [r for r in recipients if r.supporter_id in still_in]
    temporary = 0
    for start in range(0, len(sending), CHUNK):
        chunk = sending[start:start + CHUNK]
        messages = [build_message(mailing, r.supporter, message_id=r.message_id_header())
                    for r in chunk]
        sent = []
        for recipient, message, error in zip(chunk, messages, send_all(messages)):
            if error is None:
                recipient.status, recipient.sent_at = Recipient.Status.SENT, timezone.now()
                recipient.message_id, recipient.detail = message.extra_headers["Message-ID"], ""
                sent.append(recipient)
                continue
            outcome = _record_failure(recipient, error, since=mailing.started_at or now)
            outcomes[outcome] += 1
            temporary += outcome == "retry"
        Recipient.objects.bulk_update(sent, ["status", "sent_at", "message_id", "detail"])
        outcomes["sent"] += len(sent)
    if sending and temporary == len(sending):
        # The mail server is refusing everything for now: every batch waits.
        Mailing.objects.filter(pk=mailing_id).update(
            paused_until=timezone.now() + retry_delay(min(r.attempts for r in sending)))
    _finish_if_done(mailing_id)
    return ", ".join(f"{k}: {v}" for k, v in outcomes.items() if v) or "nothing to send"


def _record_failure(recipient: Recipient, exc, since) -> str:
    """A passing failure is tried again, with backoff, for DELIVERY_RETRY_HOURS from
    when the mailing started sending (as letters are); any other failure is final."""
    error = describe(exc)[:500]
    again = next_attempt(recipient.attempts, since) if is_temporary(exc) else None
    if again is not None:
        Recipient.objects.filter(pk=recipient.pk).update(
            status=Recipient.Status.QUEUED, claimed_at=None, detail=error,
            next_attempt_at=again)
        return "retry"
    Recipient.objects.filter(pk=recipient.pk).update(status=Recipient.Status.FAILED, detail=error)
    logger.warning("Mailing copy %s failed: %s", recipient.pk, error)
    return "failed"


def resume_stalled() -> int:
    """Queue the task a scheduled or sending mailing waits for when it has none waiting
    or running: its chain of batch tasks stopped (a task failed, say on a database
    error). The worker runs this every minute. Returns how many were queued."""
    due = {Mailing.Status.QUEUED: start_mailing, Mailing.Status.SENDING: send_batch}
    mailings = list(Mailing.objects.filter(
        Q(status=Mailing.Status.SENDING)
        | Q(status=Mailing.Status.QUEUED, send_at__lte=timezone.now())).values_list("pk", "status"))
    if not mailings:
        return 0
    pending = {(row["task_path"], row["args_kwargs"]["args"][0]) for row in DBTaskResult.objects.filter(
        task_path__in=[task.module_path for task in due.values()],
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values("task_path", "args_kwargs")}
    queued = 0
    with transaction.atomic():
        for pk, status in mailings:
            if (due[status].module_path, pk) not in pending:
                enqueue(due[status], pk)
                queued += 1
    if queued:
        logger.warning("Resumed %d mailing(s) that had no task queued", queued)
    return queued


# Bounces and complaints.

def mark_bounced(email: str, kind: str, detail: str = "", message_id: str = "") -> bool:
    """Record that `email` bounced for good or complained: no later mailing goes to it.
    The copy it answers (by Message-ID, else the person's latest copy sent) is marked
    bounced. Returns whether the address was new."""
    email = normalise_email(email)
    _, created = BouncedAddress.objects.get_or_create(
        email=email, defaults={"kind": kind, "detail": detail[:500]})
    copies = Recipient.objects.filter(supporter__email=email, status=Recipient.Status.SENT)
    latest = None
    if message_id:
        latest = copies.filter(message_id=message_id.strip()).values_list("pk", flat=True).first()
    if latest is None:
        latest = copies.order_by("-sent_at").values_list("pk", flat=True).first()
    if latest is not None:
        Recipient.objects.filter(pk=latest).update(
            status=Recipient.Status.BOUNCED, detail=f"{kind}: {detail}"[:500])
    return created
