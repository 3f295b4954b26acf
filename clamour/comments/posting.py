"""Taking a comment: who may write, what happens to it (published, held for a
moderator, filed as spam), guest confirmation by email, and the follow-up emails."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clamour.core.signedlinks import SignedLink
from clamour.core.tasks import enqueue
from clamour.lib import spam
from clamour.supporters.models import Supporter

from .models import Ban, BlockedTerm, Comment
from .notifications import CONFIRM, send_comment_confirmation, send_reply_notification
from .threads import forget_thread, thread_for

RECEIVED = SignedLink("clamour.comments.received", max_age=7 * 86400)
DUPLICATE_DAYS = 7
CROSS_DUPLICATE_HOURS = 24


class CommentRefused(Exception):
    """The comment cannot be taken; the message says why, for the person."""


def is_banned(supporter: Supporter | None) -> bool:
    return supporter is not None and Ban.objects.filter(supporter=supporter).exists()


def blocklist() -> tuple[list[str], list[str]]:
    words, domains = [], []
    for kind, value in BlockedTerm.objects.values_list("kind", "value"):
        (domains if kind == BlockedTerm.Kind.DOMAIN else words).append(value)
    return words, domains


def check_duplicate(supporter: Supporter, body: str, fingerprint: str) -> None:
    """Refuse the same comment twice from one person (a double click, a bot)."""
    since = timezone.now() - timedelta(days=DUPLICATE_DAYS)
    recent = Comment.objects.filter(supporter=supporter, created_at__gte=since).exclude(
        status=Comment.Status.REJECTED
    )
    if recent.filter(fingerprint=fingerprint).exists():
        raise CommentRefused(_("You have already posted this comment."))
    latest = list(recent.order_by("-created_at").values_list("body", flat=True)[:5])
    if spam.is_near_duplicate(body, latest):
        raise CommentRefused(_("You have already posted a comment very like this one."))


def decide(thread, supporter: Supporter, body: str, fingerprint: str) -> tuple[str, list[str]]:
    """The status a confirmed person's comment starts in, and why it is held."""
    words, domains = blocklist()
    found = spam.assess(
        body, max_links=settings.COMMENTS_MAX_LINKS, blocked_words=words, blocked_domains=domains
    )
    reasons = list(found.reasons)
    since = timezone.now() - timedelta(hours=CROSS_DUPLICATE_HOURS)
    if (
        len(body) >= 20
        and Comment.objects.filter(fingerprint=fingerprint, created_at__gte=since)
        .exclude(supporter=supporter)
        .exists()
    ):
        reasons.append("same text as another person's recent comment")
    if thread.is_pre_moderated():
        reasons.append("pre-moderated page")
    if not Comment.objects.filter(supporter=supporter, status=Comment.Status.PUBLISHED).exists():
        reasons.append("first comment")
    if found.verdict == spam.SPAM:
        return Comment.Status.SPAM, reasons
    return (Comment.Status.PENDING if reasons else Comment.Status.PUBLISHED), reasons


def post_comment(
    target,
    *,
    supporter: Supporter,
    name: str,
    body: str,
    parent: Comment | None = None,
    notify_replies: bool = False,
    confirmed: bool = True,
) -> Comment:
    """Store a comment. `confirmed` is False for a guest who has not proved their email
    yet: the comment waits for that and a confirmation email is queued."""
    if is_banned(supporter):
        raise CommentRefused(_("You can no longer comment on this site."))
    fingerprint = spam.fingerprint(body)
    with transaction.atomic():
        thread = thread_for(target, create=True)
        if parent is not None:
            if parent.thread_id != thread.pk or parent.status != Comment.Status.PUBLISHED:
                raise CommentRefused(_("The comment you are replying to is no longer there."))
            parent = parent.parent or parent  # replies are one level deep
        check_duplicate(supporter, body, fingerprint)
        comment = Comment(
            thread=thread,
            parent=parent,
            supporter=supporter,
            name=name,
            body=body,
            notify_replies=notify_replies,
            fingerprint=fingerprint,
        )
        if confirmed:
            apply_decision(comment)
        else:
            comment.status = Comment.Status.UNCONFIRMED
        comment.save()
        if comment.status == Comment.Status.UNCONFIRMED:
            enqueue(send_comment_confirmation, comment.pk)
        follow_up(comment)
    return comment


def apply_decision(comment: Comment) -> None:
    status, reasons = decide(comment.thread, comment.supporter, comment.body, comment.fingerprint)
    comment.status = status
    comment.held_because = "; ".join(reasons)[:300] if status != Comment.Status.PUBLISHED else ""
    if status == Comment.Status.PUBLISHED:
        comment.published_at = timezone.now()


def follow_up(comment: Comment) -> None:
    """After a comment changes: clear the cached thread, and tell the person replied to."""
    forget_thread(comment.thread)
    if (
        comment.status == Comment.Status.PUBLISHED
        and comment.parent_id
        and comment.reply_notified_at is None
    ):
        enqueue(send_reply_notification, comment.pk)


def confirm_comment(comment: Comment) -> bool:
    """A guest confirmed their email: the comment goes on as if they had been logged in.
    False if it was already confirmed."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("thread", "supporter")
            .get(pk=comment.pk)
        )
        if comment.status != Comment.Status.UNCONFIRMED:
            return False
        if is_banned(comment.supporter):
            comment.status = Comment.Status.REJECTED
            comment.held_because = "banned"
        else:
            apply_decision(comment)
        comment.save(update_fields=["status", "held_because", "published_at"])
        follow_up(comment)
    return True


def comment_from_confirmation(token: str) -> Comment | None:
    """The guest's comment a link is for; None if forged. Raises LinkExpired when old."""
    pk = CONFIRM.read(token)
    if pk is None:
        return None
    return (
        Comment.objects.select_related("thread", "supporter")
        .filter(pk=pk, supporter__isnull=False)
        .first()
    )


def received_token(comment: Comment) -> str:
    return RECEIVED.make(comment.pk)


def comment_from_received(token: str) -> Comment | None:
    pk = RECEIVED.read_current(token)
    if pk is None:
        return None
    return Comment.objects.select_related("thread").filter(pk=pk).first()


def purge_unconfirmed(now=None) -> int:
    """Delete guest comments whose email was never confirmed, once their link has
    expired (for the scheduled clean-up). Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONFIRMATION_MAX_AGE_DAYS)
    deleted, _ = Comment.objects.filter(
        status=Comment.Status.UNCONFIRMED, created_at__lt=cutoff
    ).delete()
    return deleted
