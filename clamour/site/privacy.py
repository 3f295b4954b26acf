"""What we hold about a supporter: export it, or erase it.

Erasure empties the person's record instead of deleting it, so what they did still
counts: confirmed submissions stay (with name, email, postcode and letter text
removed) and letters already sent stay recorded as sent. Letters not yet sent are
cancelled (their text is gone), unconfirmed submissions are deleted (they never
counted), and so are consents, opt-outs and log-in links. The emptied record can no
longer log in, and the same email address later makes a new, separate person.

The person's comments are exported in full, and erasure empties their text, author name
and the fields derived from them.

It reads and empties rows of several apps (supporters, actions, comments, treaties), so
it lives in the top layer.
"""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from clamour.actions.delivery import SENDING_TIMEOUT
from clamour.actions.models import Delivery, Submission
from clamour.comments.models import Comment
from clamour.supporters.models import LoginToken, PrivacyLogEntry, Supporter, new_referral_code
from clamour.supporters.privacy import log_privacy_action

ERASED_NAME = "(erased)"
ERASED_TEXT = "[erased]"


def supporter_comments(supporter):
    return (Comment.objects.filter(supporter=supporter).order_by("-pk")
            .select_related("thread").prefetch_related("thread__target"))


def referral_count(supporter) -> int:
    """How many confirmed actions came through this person's share link."""
    if not supporter.referral_code:
        return 0
    return Submission.objects.confirmed().filter(referral_code=supporter.referral_code).count()


def supporter_submissions(supporter):
    return (Submission.objects.filter(supporter=supporter)
            .select_related("action__campaign")
            .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("pk")))
            .order_by("-created_at"))


def _when(value):
    return value.isoformat() if value else None


def _comment_data(comment) -> dict:
    return {
        "id": comment.pk, "thread": comment.thread_id, "parent": comment.parent_id,
        "name": comment.name, "body": comment.body, "status": comment.status,
        "held_because": comment.held_because, "notify_replies": comment.notify_replies,
        "fingerprint": comment.fingerprint,
        "created_at": _when(comment.created_at), "published_at": _when(comment.published_at),
        "moderated_at": _when(comment.moderated_at), "moderated_by": comment.moderated_by_id,
        "confirmation_sent_at": _when(comment.confirmation_sent_at),
        "reply_notified_at": _when(comment.reply_notified_at),
    }


def export_supporter(supporter: Supporter) -> dict:
    """Everything held about `supporter`, as plain JSON-ready data."""
    comments = supporter_comments(supporter)
    return {
        "format": "clamour-supporter-export/1",
        "exported_at": timezone.now().isoformat(),
        "supporter": {
            "record": supporter.pk,
            "email": supporter.email,
            "name": supporter.name,
            "country": supporter.country,
            "postcode": supporter.postcode,
            "referral_code": supporter.referral_code,
            "created_at": _when(supporter.created_at),
            "erased_at": _when(supporter.erased_at),
        },
        "consents": [
            {"wording": c.wording, "given": c.given, "topic": c.topic, "where": c.source,
             "when": _when(c.created_at)}
            for c in supporter.consents.order_by("created_at", "pk")
        ],
        "email_opt_outs": [
            {"topic": o.topic, "when": _when(o.created_at)}
            for o in supporter.opt_outs.order_by("created_at", "pk")
        ],
        "actions": [
            {
                "campaign": s.action.campaign.title,
                "campaign_url": s.action.campaign.get_absolute_url(),
                "kind": s.action.kind,
                "status": s.status,
                "submitted_at": _when(s.created_at),
                "confirmed_at": _when(s.confirmed_at),
                "name": s.name, "email": s.email, "country": s.country, "postcode": s.postcode,
                "subject": s.subject, "letter": s.body, "comment": s.comment,
                "consent_given": s.consent_given, "consent_wording": s.consent_wording,
                "reply_to_ok": s.reply_to_ok,
                "came_through_referral_code": s.referral_code,
                "letters": [
                    {"to": d.to_name, "status": d.status, "sent_at": _when(d.sent_at)}
                    for d in s.deliveries.all()
                ],
            }
            for s in supporter_submissions(supporter)
        ],
        "referrals": {"confirmed_actions_through_my_link": referral_count(supporter)},
        "log_in_links": [
            {"created_at": _when(t.created_at), "used_at": _when(t.used_at)}
            for t in supporter.login_tokens.order_by("created_at")
        ],
        "comments": [_comment_data(c) for c in comments],
        "treaty_alerts": [
            {"treaty": sub.treaty.title, "status": sub.status,
             "subscribed_at": _when(sub.created_at), "confirmed_at": _when(sub.confirmed_at)}
            for sub in supporter.treaty_subscriptions.select_related("treaty").order_by("pk")
        ],
    }


def _erase_comments(supporter) -> int:
    # The fingerprint and the moderators' note are derived from the text; and there is
    # nobody left to tell about replies.
    return supporter_comments(supporter).update(
        name=ERASED_NAME, body=ERASED_TEXT, fingerprint="", held_because="", notify_replies=False)


def erase_supporter(supporter: Supporter, *, staff=None, now=None) -> dict:
    """Remove `supporter`'s personal data, keeping what must still count. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
        mine = Submission.objects.filter(supporter=supporter)
        _, deleted = mine.filter(status=Submission.Status.PENDING).delete()
        pending_deleted = deleted.get(Submission._meta.label, 0)
        # Letters not sent yet are cancelled; one being handed to the mail server right
        # now is left to finish (a stale claim, from a worker that died, is cancelled).
        unsent = Delivery.objects.filter(submission__supporter=supporter).filter(
            Q(status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED])
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT))
        cancelled, _ = unsent.delete()
        kept = mine.update(name=ERASED_NAME, email="", postcode="", subject="", body="",
                           comment="", reply_to_ok=False)
        comments = _erase_comments(supporter)
        supporter.consents.all().delete()
        supporter.opt_outs.all().delete()
        supporter.treaty_subscriptions.all().delete()
        LoginToken.objects.filter(supporter=supporter).delete()
        supporter.email = f"erased-{supporter.pk}@erased.invalid"
        supporter.name = ERASED_NAME
        supporter.country = ""
        supporter.postcode = ""
        supporter.referral_code = new_referral_code()
        supporter.erased_at = supporter.erased_at or now
        supporter.save()
        counts = {"actions_kept": kept, "unconfirmed_deleted": pending_deleted,
                  "unsent_letters_cancelled": cancelled, "comments_emptied": comments}
        log_privacy_action(PrivacyLogEntry.Kind.ERASE, supporter, staff=staff,
                           detail=", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts
