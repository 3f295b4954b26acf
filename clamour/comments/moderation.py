"""What moderators and readers do to comments: approve, reject, file as spam, ban a
person, and flag."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Ban, Comment, Flag
from .posting import follow_up

APPROVE, REJECT, SPAM, BAN = "approve", "reject", "spam", "ban"
ACTIONS = (APPROVE, REJECT, SPAM, BAN)


def _set_status(comments, status, user) -> int:
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                # Approving a flagged comment that is showing dismisses its flags.
                changed += bool(
                    Flag.objects.filter(comment=comment, resolved_at=None).update(resolved_at=now)
                )
                continue
            comment.status = status
            comment.moderated_at = now
            comment.moderated_by = user
            fields = ["status", "moderated_at", "moderated_by"]
            if status == Comment.Status.PUBLISHED and comment.published_at is None:
                comment.published_at = now
                fields.append("published_at")
            comment.save(update_fields=fields)
            Flag.objects.filter(comment=comment, resolved_at=None).update(resolved_at=now)
            follow_up(comment)
            changed += 1
    return changed


def approve(comments, user) -> int:
    return _set_status(comments, Comment.Status.PUBLISHED, user)


def reject(comments, user) -> int:
    return _set_status(comments, Comment.Status.REJECTED, user)


def mark_spam(comments, user) -> int:
    return _set_status(comments, Comment.Status.SPAM, user)


def ban(supporter, user, reason="") -> bool:
    """Stop a person commenting, and take down what of theirs is waiting or showing."""
    with transaction.atomic():
        _, created = Ban.objects.get_or_create(
            supporter=supporter, defaults={"banned_by": user, "reason": reason[:300]}
        )
        waiting = Comment.objects.select_related("thread").filter(
            supporter=supporter,
            status__in=[
                Comment.Status.UNCONFIRMED,
                Comment.Status.PENDING,
                Comment.Status.HIDDEN,
                Comment.Status.PUBLISHED,
            ],
        )
        _set_status(list(waiting), Comment.Status.REJECTED, user)
    return created


def unban(supporter) -> bool:
    deleted, _ = Ban.objects.filter(supporter=supporter).delete()
    return bool(deleted)


def moderate(action: str, comments, user) -> int:
    """One of ACTIONS on a list of comments; returns how many comments it touched."""
    comments = list(comments)
    if action == APPROVE:
        return approve(comments, user)
    if action == REJECT:
        return reject(comments, user)
    if action == SPAM:
        return mark_spam(comments, user)
    if action == BAN:
        people = {c.supporter_id: c.supporter for c in comments if c.supporter_id}
        for supporter in people.values():
            ban(supporter, user)
        return len(comments)
    raise ValueError(action)


def flag_comment(
    comment: Comment, flagger: str, reason: str, note: str = "", *, known: bool = False
) -> bool:
    """Record a reader's flag (once per reader); the comment is then in the moderators'
    queue. Enough open flags from `known` readers (logged in, so with a confirmed email
    address) hide a published comment until a moderator looks: anonymous flags cost
    nothing to make, so they never hide anything by themselves. Returns False if this
    reader had flagged it."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Flag.objects.create(
                    comment=comment, flagger=flagger, reason=reason, note=note[:500], known=known
                )
        except IntegrityError:
            return False
        if not known:
            return True
        open_flags = Flag.objects.filter(comment=comment, resolved_at=None, known=True).count()
        if (
            comment.status == Comment.Status.PUBLISHED
            and open_flags >= settings.COMMENTS_FLAGS_TO_HIDE
        ):
            Comment.objects.filter(pk=comment.pk).update(
                status=Comment.Status.HIDDEN, held_because="flagged by readers"
            )
            comment.status = Comment.Status.HIDDEN
            follow_up(comment)
    return True
