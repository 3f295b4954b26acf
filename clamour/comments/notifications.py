"""The emails of the comments app, sent by background tasks. Each is safe to run
twice: it claims the comment (a timestamp) before sending, and gives the claim back
if the mail server fails so a retry can send it."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from clamour.core.signedlinks import SignedLink, confirmation_max_age
from clamour.core.tasks import WAITED_FOR
from clamour.supporters.mail import send_supporter_email

from .models import Comment
from .threads import target_title

REPLY_TOPIC = "comment-replies"
# The link that confirms a guest's comment, emailed by `send_comment_confirmation`.
CONFIRM = SignedLink("clamour.comments.confirm", max_age=confirmation_max_age)


def confirmation_token(comment: Comment) -> str:
    return CONFIRM.make(comment.pk)


def _claim(comment_id: int, field: str, **conditions) -> Comment | None:
    with transaction.atomic():
        claimed = Comment.objects.filter(pk=comment_id, **{field: None}, **conditions).update(
            **{field: timezone.now()}
        )
    if not claimed:
        return None
    return Comment.objects.select_related("supporter", "thread", "parent__supporter").get(
        pk=comment_id
    )


def _release(comment_id: int, field: str) -> None:
    Comment.objects.filter(pk=comment_id).update(**{field: None})


@task(queue_name="mail", priority=WAITED_FOR)
def send_comment_confirmation(comment_id: int) -> str:
    comment = _claim(comment_id, "confirmation_sent_at", status=Comment.Status.UNCONFIRMED)
    if comment is None or comment.supporter is None:
        return "skipped"
    target = comment.thread.target

    def context():
        return {
            "comment": comment,
            "title": target_title(target) if target else "",
            "url": settings.SITE_URL + reverse("comments:confirm",
                                               args=[confirmation_token(comment)]),
            "days": settings.CONFIRMATION_MAX_AGE_DAYS,
            "SITE_NAME": settings.SITE_NAME,
        }

    try:
        send_supporter_email(comment.supporter, "comments/email/confirm", context,
                             topic=REPLY_TOPIC, transactional=True)
    except Exception:
        _release(comment_id, "confirmation_sent_at")
        raise
    return "sent"


@task(queue_name="mail")
def send_reply_notification(comment_id: int) -> str:
    """Tell the author of the comment replied to, if they asked to be told."""
    reply = (
        Comment.objects.select_related("parent__supporter", "supporter")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or reply.parent is None or reply.status != Comment.Status.PUBLISHED:
        return "skipped"
    parent = reply.parent
    if (
        not parent.notify_replies
        or parent.supporter is None
        or parent.supporter_id == reply.supporter_id
        or parent.status != Comment.Status.PUBLISHED
    ):
        return "not wanted"
    reply = _claim(comment_id, "reply_notified_at")
    if reply is None:
        return "already sent"
    target = reply.thread.target

    def context():
        page = target.get_absolute_url() if target else reverse("campaigns:home")
        return {
            "reply": reply,
            "parent": parent,
            "title": target_title(target) if target else "",
            "url": f"{settings.SITE_URL}{page}#comment-{reply.pk}",
            "SITE_NAME": settings.SITE_NAME,
        }

    try:
        sent = send_supporter_email(parent.supporter, "comments/email/reply", context,
                                    topic=REPLY_TOPIC)
    except Exception:
        _release(comment_id, "reply_notified_at")
        raise
    return "sent" if sent else "opted out"
