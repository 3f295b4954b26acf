from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import choices


class Thread(models.Model):
    """The comments under one page (a blog post or a campaign), with its settings.

    Made the first time it is needed; a page without one takes comments with the
    default settings (post-moderation, open until COMMENTS_CLOSE_AFTER_DAYS).
    """

    class Moderation(models.TextChoices):
        POST = "post", _("Post-moderation: comments show at once and can be removed")
        PRE = "pre", _("Pre-moderation: nothing shows until a moderator approves it")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.POST
    )
    closed = models.BooleanField(
        _("closed"), default=False, help_text=_("No new comments; the ones shown stay.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment thread")
        verbose_name_plural = _("comment threads")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_thread_per_page"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"

    def is_pre_moderated(self):
        return self.moderation == self.Moderation.PRE


def closes_at(started) -> "timezone.datetime | None":
    """When comments on a page that started at `started` close by themselves."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if not days or started is None:
        return None
    return started + timedelta(days=days)


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def in_queue(self):
        """What waits for a moderator: held or hidden comments, and published ones
        with a reader's flag not yet dealt with."""
        flagged = Flag.objects.filter(comment=models.OuterRef("pk"), resolved_at=None)
        return self.filter(
            models.Q(status__in=Comment.QUEUE)
            | models.Q(status=Comment.Status.PUBLISHED) & models.Exists(flagged)
        )


class Comment(models.Model):
    Status = choices.CommentStatus

    QUEUE = (Status.PENDING, Status.HIDDEN)

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    supporter = models.ForeignKey(
        "supporters.Supporter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=80)
    body = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    held_because = models.CharField(_("held because"), max_length=300, blank=True)
    notify_replies = models.BooleanField(_("email me replies"), default=False)
    fingerprint = models.CharField(max_length=32, db_index=True, editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reply_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", _("Can moderate comments"))]
        indexes = [
            models.Index(fields=["thread", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["supporter", "created_at"], name="comment_person_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"

    def body_html(self):
        """Plain text with paragraphs, line breaks and links (rel="nofollow ugc")."""
        paragraphs = []
        for paragraph in self.body.split("\n\n"):
            html = urlize(paragraph, trim_url_limit=60, nofollow=True, autoescape=True)
            html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener noreferrer"')
            paragraphs.append('<p dir="auto">' + html.replace("\n", "<br>") + "</p>")
        return mark_safe("".join(paragraphs))

    def excerpt(self, length=140):
        text = " ".join(self.body.split())
        return escape(text if len(text) <= length else text[: length - 1] + "…")

    def is_visible(self):
        return self.status == self.Status.PUBLISHED


class Flag(models.Model):
    """A reader's report that a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive, hateful or threatening")
        PERSONAL = "personal", _("Shares someone's personal details")
        OFF_TOPIC = "off-topic", _("Off topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    flagger = models.CharField(
        max_length=40,
        editable=False,
        help_text="A keyed hash of who flagged, to count each reader once.",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    known = models.BooleanField(
        _("from a logged-in person"),
        default=False,
        editable=False,
        help_text=_(
            "Only flags from people who confirmed an email address count toward hiding "
            "a comment; the others bring it to the moderators."
        ),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("dealt with"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "flagger"], name="one_flag_per_reader"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on {self.comment_id}"


class Ban(models.Model):
    """A person who may not comment any more."""

    supporter = models.OneToOneField(
        "supporters.Supporter", on_delete=models.CASCADE, related_name="comment_ban"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")

    def __str__(self):
        return str(self.supporter_id)


class BlockedTerm(models.Model):
    """A word or a domain moderators do not want in comments. A comment with a blocked
    word waits for a moderator; one linking a blocked domain is filed as spam."""

    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase")
        DOMAIN = "domain", _("Domain")

    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    value = models.CharField(_("word, phrase or domain"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked word or domain")
        verbose_name_plural = _("blocked words and domains")
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_blocked_term")]

    def __str__(self):
        return self.value
