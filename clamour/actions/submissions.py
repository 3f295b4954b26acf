"""Recording and confirming what supporters do."""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from clamour.core.tasks import enqueue
from clamour.supporters.models import Consent, Supporter

from . import tasks
from .models import Submission

CONFIRM_SALT = "clamour.actions.confirm"
THANKS_SALT = "clamour.actions.thanks"


class AlreadyTookPart(Exception):
    def __init__(self, submission):
        super().__init__("already took part")
        self.submission = submission


def record_submission(action, data: dict) -> Submission:
    """Store one supporter's action, with its queued follow-up work, in one transaction.

    `data` is a SubmissionForm's cleaned_data. Raises AlreadyTookPart when this email
    has already taken this action: the unique constraint decides, so two submissions
    racing each other still count once.
    """
    now = timezone.now()
    confirmed = not action.require_confirmation
    # Inside a caller's transaction (group commit) no savepoint of its own is needed:
    # any error here rolls back the caller's savepoint for this submission.
    with transaction.atomic(savepoint=False):
        supporter = Supporter.objects.get_or_create_by_email(
            data["email"], name=data["name"], country=data["country"],
            postcode=data.get("postcode", ""),
        )
        referral_code = data.get("ref", "")
        if referral_code == supporter.referral_code:
            referral_code = ""  # sharing your own link and using it is not a referral
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
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
                    status=Submission.Status.CONFIRMED if confirmed else Submission.Status.PENDING,
                    created_at=now,
                    confirmed_at=now if confirmed else None,
                )
        except IntegrityError:
            raise AlreadyTookPart(
                Submission.objects.get(action=action, supporter=supporter)
            ) from None
        Consent.objects.create(
            supporter=supporter,
            wording=action.consent_wording,
            given=data.get("consent", False),
            source=f"action:{action.pk}",
        )
        if confirmed:
            if action.is_letter:
                enqueue(tasks.deliver_submission, submission.pk)
        else:
            enqueue(tasks.send_confirmation, submission.pk)
    return submission


def confirm_submission(submission) -> bool:
    """Confirm a pending submission and queue its letters. False if it already was."""
    with transaction.atomic():
        changed = submission.confirm()
        if changed and submission.action.is_letter:
            enqueue(tasks.deliver_submission, submission.pk)
    return changed


def confirmation_token(submission) -> str:
    return signing.dumps(submission.pk, salt=CONFIRM_SALT, compress=True)


def submission_from_token(token: str):
    """The submission a confirmation link is for, or None if the link is not genuine.

    Raises signing.SignatureExpired when it was genuine but is too old.
    """
    max_age = settings.CONFIRMATION_MAX_AGE_DAYS * 86400
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Submission.objects.select_related("action__campaign").filter(pk=pk).first()


def thanks_token(submission) -> str:
    return signing.dumps(submission.pk, salt=THANKS_SALT)


def submission_from_thanks_token(token: str):
    try:
        pk = signing.loads(token, salt=THANKS_SALT)
    except signing.BadSignature:
        return None
    return Submission.objects.select_related("supporter").filter(pk=pk).first()
