"""Recording and confirming what supporters do."""

import base64
import secrets
import struct
from collections import defaultdict

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clamour.core.signedlinks import SignedLink
from clamour.core.speed import bulk
from clamour.core.speed.groupcommit import run_alone
from clamour.core.tasks import enqueue
from clamour.supporters.models import Consent, Supporter, normalise_email

from .delivery import (
    CONFIRM,
    REMIND_AGAIN,
    REMIND_RESEND,
    deliver_submission,
    deliver_submissions,
    send_confirmations,
    send_reminders,
)
from .models import Submission

# Thank-you links are sealed text (see `thanks_token`), signed without a date: the page
# stays reachable from the browser's history.
THANKS = SignedLink("clamour.actions.thanks", max_age=None, kind=str, timestamped=False)
CONFIRM_SALT = CONFIRM.purpose
THANKS_SALT = THANKS.purpose


class AlreadyTookPart(Exception):
    """This email address has taken this action already. Whoever typed it is answered
    as if it were new (see `thanks_token`); the address's owner is told by email
    (`delivery.send_reminders`, queued with the batch)."""

    def __init__(self, submission):
        super().__init__("already took part")
        self.submission = submission


def record_submission(action, data: dict) -> Submission:
    """Store one supporter's action, with its queued follow-up work, in one transaction.

    `data` is a SubmissionForm's cleaned_data. Raises AlreadyTookPart when this email
    has already taken this action: the unique constraint decides, so two submissions
    racing each other still count once.
    """
    return run_alone(record_submissions, action, data)


def record_submissions(action, batch: list[dict]) -> list:
    """Store many supporters' actions at once: a handful of multi-row statements
    whatever the batch size (the group-commit writer's path during a spike).

    Returns, in order, each one's Submission or an AlreadyTookPart to raise. The same
    email twice in one batch counts once. Must run inside a transaction; a unique
    constraint clash (another process storing the same person at this moment) raises
    IntegrityError, and the caller retries one by one (`groupcommit.run_alone`).
    """
    now = timezone.now()
    confirmed = not action.require_confirmation
    status = Submission.Status.CONFIRMED if confirmed else Submission.Status.PENDING
    emails = [normalise_email(data["email"]) for data in batch]

    # The people already known, each with their earlier submission to this action if
    # any: one query.
    supporters = {s.email: s for s in Supporter.objects.filter(email__in=set(emails)).annotate(
        earlier_id=Subquery(Submission.objects.filter(
            action=action, supporter=OuterRef("pk")).values("pk")[:1]))}
    earlier_ids = [s.earlier_id for s in supporters.values() if s.earlier_id is not None]
    earlier = {s.supporter_id: s for s in Submission.objects.filter(pk__in=earlier_ids)} \
        if earlier_ids else {}
    new_supporters = {}
    for email, data in zip(emails, batch):
        if email not in supporters and email not in new_supporters:
            new_supporters[email] = Supporter(
                email=email, name=data["name"], country=data["country"],
                postcode=data.get("postcode", ""), language=data.get("language", ""),
            )
    # People known already take the language of the page they act on now.
    changed = defaultdict(set)
    for email, data in zip(emails, batch):
        supporter = supporters.get(email)
        if supporter is not None and data.get("language") and supporter.language != data["language"]:
            supporter.language = data["language"]
            changed[data["language"]].add(supporter.pk)
    for language, pks in changed.items():
        Supporter.objects.filter(pk__in=pks).update(language=language)
    if new_supporters:
        bulk.insert(list(new_supporters.values()))
        supporters.update(new_supporters)

    # Each entry: a new Submission, or the supporter id of one that already exists.
    planned, fresh, taking_part = [], [], {}
    for email, data in zip(emails, batch):
        supporter = supporters[email]
        if supporter.pk in earlier or supporter.pk in taking_part:
            planned.append(supporter.pk)
            continue
        referral_code = data.get("ref", "")
        if referral_code == supporter.referral_code:
            referral_code = ""  # sharing your own link and using it is not a referral
        submission = Submission(
            action=action,
            supporter=supporter,
            name=data["name"],
            email=supporter.email,
            country=data["country"],
            postcode=data.get("postcode", ""),
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            comment=data.get("comment", ""),
            consent_given=data.get("consent", False),
            consent_wording=action.consent_wording,
            reply_to_ok=data.get("reply_to_ok", False),
            referral_code=referral_code,
            utm_source=data.get("utm_source", ""),
            utm_campaign=data.get("utm_campaign", ""),
            status=status,
            created_at=now,
            confirmed_at=now if confirmed else None,
        )
        taking_part[supporter.pk] = submission
        fresh.append(submission)
        planned.append(submission)
    if fresh:
        bulk.insert(fresh)
        topic = action.campaign.email_topic()
        bulk.insert([
            Consent(supporter=s.supporter, wording=s.consent_wording, given=s.consent_given,
                    topic=topic, source=f"action:{action.pk}")
            for s in fresh
        ])
        # The batch's emails go out together, by one task.
        if not confirmed:
            enqueue(send_confirmations, [s.pk for s in fresh])
        elif action.is_letter:
            enqueue(deliver_submissions, [s.pk for s in fresh])
    again = sorted({entry for entry in planned if not isinstance(entry, Submission)})
    if again:
        # Those who took part already hear it by email, not on the page: one task for
        # the batch, with the earlier submissions (those stored in this batch included).
        enqueue(send_reminders, [(earlier.get(supporter_id) or taking_part[supporter_id]).pk
                                       for supporter_id in again], REMIND_AGAIN)
    return [
        entry if isinstance(entry, Submission)
        else AlreadyTookPart(earlier.get(entry) or taking_part[entry])
        for entry in planned
    ]


def confirm_submission(submission) -> bool:
    """Confirm a pending submission and queue its letters. False if it already was."""
    with transaction.atomic():
        changed = submission.confirm()
        if changed and submission.action.is_letter:
            enqueue(deliver_submission, submission.pk)
    return changed


def submission_from_token(token: str):
    """The submission a confirmation link is for, or None if the link is not genuine.

    Raises LinkExpired when it was genuine but is too old.
    """
    pk = CONFIRM.read(token)
    if pk is None:
        return None
    return Submission.objects.select_related("action__campaign").filter(pk=pk).first()


def thanks_token(submission, typed_name: str | None = None) -> str:
    """The link to a submission's thank-you page. `typed_name` is given when the address
    had taken part already: the page then shows what a new supporter would see, with
    the name typed, never the earlier submission's name or state.

    The link is sealed, not just signed: its content (which submission, whether it is a
    repeat) is enciphered with a keystream from SECRET_KEY and a random nonce, and every
    link has the same shape, so neither its text nor its length tells whoever typed an
    address whether that address had taken part (a submission number would: an old one
    is smaller than the newest).
    """
    repeat = typed_name is not None
    name = (typed_name if repeat else submission.name).encode()
    plain = struct.pack(">QB", submission.pk, repeat) + name
    nonce = secrets.token_bytes(12)
    sealed = base64.urlsafe_b64encode(nonce + _xor(plain, nonce)).rstrip(b"=").decode()
    return THANKS.make(sealed)


def _xor(data: bytes, nonce: bytes) -> bytes:
    """`data` enciphered (or deciphered) with an HMAC-SHA256 keystream for `nonce`."""
    stream = b"".join(
        salted_hmac(THANKS_SALT, nonce + block.to_bytes(4, "big")).digest()
        for block in range(len(data) // 32 + 1)
    )
    return bytes(a ^ b for a, b in zip(data, stream))


def submission_from_thanks_token(token: str):
    """(the submission, the name typed when acting again or None), or (None, None) when
    the link is not genuine."""
    sealed = THANKS.read(token)
    if sealed is None:
        return None, None
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    except ValueError:
        return None, None
    nonce, data = raw[:12], raw[12:]
    if len(nonce) < 12 or len(data) < 9:
        return None, None
    plain = _xor(data, nonce)
    pk, repeat = struct.unpack(">QB", plain[:9])
    typed_name = plain[9:].decode(errors="replace") if repeat else None
    return Submission.objects.select_related("supporter").filter(pk=pk).first(), typed_name


def request_resend(submission) -> None:
    """Queue the confirmation email again for `submission` (sent only if it still waits
    for confirmation, and at most once per delivery.RESEND_AFTER)."""
    with transaction.atomic():
        enqueue(send_reminders, [submission.pk], REMIND_RESEND)
