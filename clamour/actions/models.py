from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clamour.campaigns.models import Campaign
from clamour.core import texts as staff_texts
from clamour.core.markup import render_staff_markdown
from clamour.lib.countries import COUNTRY_CHOICES, country_name
from clamour.supporters.models import Supporter

from . import choices

DEFAULT_CONSENT_WORDING = _(
    "Yes, email me about this campaign and what I can do next. "
    "I can unsubscribe at any time."
)


class Action(models.Model):
    """What a campaign asks supporters to do: write a letter or sign a petition."""

    Kind = choices.ActionKind

    class Targeting(models.TextChoices):
        FIXED = "fixed", _("Everyone writes to the same targets")
        COUNTRY = "country", _("Each supporter writes to the target for their country")

    class Fallback(models.TextChoices):
        DEFAULT_TARGET = "default", _("Write to the default target(s) instead")
        REJECT = "reject", _("Do not accept the letter")

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="action")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LETTER)
    title = models.CharField(_("call to action"), max_length=200,
                             help_text=_('For example "Write to the Foreign Secretary".'))
    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("A few words above the form. Markdown."))
    letter_subject = models.CharField(_("letter subject"), max_length=200, blank=True)
    letter_template = models.TextField(
        _("letter"),
        blank=True,
        help_text=_(
            "The letter supporters start from and can edit. You may use {supporter_name}, "
            "{supporter_country}, {target_name}, {target_title} and {target_country}; "
            "the greeting and signature are added for each recipient."
        ),
    )
    petition_text = models.TextField(_("petition text"), blank=True,
                                     help_text=_("What signers put their name to. Markdown."))
    goal = models.PositiveIntegerField(_("goal"), default=1000)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True,
                                    help_text=_("The action closes by itself at this time."))
    closed = models.BooleanField(_("closed by hand"), default=False)
    require_confirmation = models.BooleanField(
        _("email confirmation"), default=True,
        help_text=_("Supporters click a link in an email before their action counts."),
    )
    ask_postcode = models.BooleanField(_("ask for a postcode"), default=False)
    targeting = models.CharField(_("targets"), max_length=20, choices=Targeting.choices,
                                 default=Targeting.FIXED)
    fallback = models.CharField(
        _("when a supporter's country has no target"), max_length=10,
        choices=Fallback.choices, default=Fallback.REJECT,
    )
    consent_wording = models.TextField(_("consent question"), default=DEFAULT_CONSENT_WORDING)
    # {"fr": {"title": …, "letter_template": …}, …}: the texts above in other languages.
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)

    TRANSLATED_FIELDS = ("title", "intro", "letter_subject", "letter_template", "petition_text",
                         "consent_wording")

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    def localised(self, code: str, own_language: str) -> "Action":
        """A copy with its texts (call to action, introduction, letter, petition,
        consent question) in language `code` where every one it has is given, else in
        `own_language`, its campaign's (`core.texts.localised`)."""
        return staff_texts.localised(self, code, own_language, self.texts_shown())

    def missing_languages(self, own_language: str) -> list[str]:
        return staff_texts.missing_languages(self, own_language, self.texts_shown())

    def letter_in(self, code: str) -> tuple[str, str] | None:
        """(subject, letter) in language `code`, or None if the action has no complete
        texts in it. On a localised copy (`localised`), its own language counts too."""
        base = getattr(self, "original", self)
        if code == getattr(self, "own_language", None):
            return base.letter_subject, base.letter_template
        texts = staff_texts.texts_in(base, code, base.texts_shown())
        return (texts["letter_subject"], texts["letter_template"]) if texts else None

    def texts_shown(self) -> tuple:
        """The translated texts this kind of action shows (a letter has no petition
        text, a petition no letter)."""
        unused = ("petition_text",) if self.is_letter else ("letter_subject", "letter_template")
        return tuple(field for field in self.TRANSLATED_FIELDS if field not in unused)

    def intro_html(self):
        return render_staff_markdown(self.intro)

    def petition_text_html(self):
        return render_staff_markdown(self.petition_text)

    @property
    def is_letter(self):
        return self.kind == self.Kind.LETTER

    def is_open(self, now=None):
        if self.closed or self.campaign.status == Campaign.Status.ARCHIVED:
            return False
        return self.deadline is None or (now or timezone.now()) < self.deadline

    def count_cache_key(self):
        return f"action-count:{self.pk}"

    def public_count(self):
        """Confirmed submissions, recounted at most every COUNT_INTERVAL / 2 seconds,
        so that what a reader is shown (cached for COUNT_INTERVAL by their browser at
        most) is never much older than COUNT_INTERVAL.

        Every request in between reads the cached figure; the figure itself is a
        COUNT over append-only rows, so no row is updated per submission.
        """
        key = self.count_cache_key()
        count = cache.get(key)
        if count is None:
            count = self.submissions.confirmed().count()
            cache.set(key, count, timeout=max(1, settings.COUNT_INTERVAL // 2))
        return count

    def progress_percent(self, count=None):
        count = self.public_count() if count is None else count
        if not self.goal:
            return 100
        return min(100, round(100 * count / self.goal))


class Target(models.Model):
    """A person or office that letters are sent to."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or office"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True,
        help_text=_("For country targeting: supporters from this country write here."),
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("The language to write to them in: supporters start from the letter in "
                    "it where the action has one, and it is greeted and signed in it. Empty: "
                    "the language of the page the supporter writes from."),
    )
    is_default = models.BooleanField(
        _("default"), default=False,
        help_text=_("Used when a supporter's country has no target (if the action allows it)."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["country", "name"]

    def __str__(self):
        parts = [self.name]
        if self.title:
            parts.append(self.title)
        if self.country:
            parts.append(country_name(self.country))
        return ", ".join(parts)


class SubmissionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Submission.Status.CONFIRMED)

    def confirmation_backlog(self):
        """Confirmation emails not sent yet (queued, or being retried while the mail
        relay fails: `confirmation_error` says why), oldest first."""
        return self.filter(status=Submission.Status.PENDING, confirmation_sent_at__isnull=True,
                           supporter__erased_at__isnull=True).order_by("created_at", "pk")


class Submission(models.Model):
    """One supporter taking one action: a letter written or a petition signed.

    Append-only as far as the public count is concerned: the count is a COUNT of
    confirmed rows, never a counter column.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="submissions")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="submissions")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("letter"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_wording = models.TextField(_("consent wording shown"))
    reply_to_ok = models.BooleanField(_("recipient may reply directly"), default=False)
    referral_code = models.CharField(_("came through referral code"), max_length=16, blank=True,
                                     db_index=True)
    utm_source = models.CharField(_("utm_source"), max_length=64, blank=True,
                                  help_text=_("From the campaign page address the supporter came in by."))
    utm_campaign = models.CharField(_("utm_campaign"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation email sent"), null=True, blank=True)
    confirmation_error = models.TextField(
        _("confirmation email problem"), blank=True,
        help_text=_("The mail server's last answer while the confirmation email could "
                    "not be sent (it is being tried again)."))
    reminder_sent_at = models.DateTimeField(
        _("last emailed again"), null=True, blank=True,
        help_text=_("When the person was last emailed about this action again: their "
                    "confirmation link resent, or word that they had already taken part."))

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "supporter"], name="one_submission_per_person"),
        ]
        indexes = [
            models.Index(fields=["action", "status"], name="submission_count_idx"),
            # The campaign dashboard's time series and exports (in order of arrival).
            models.Index(fields=["action", "created_at"], name="submission_time_idx"),
            models.Index(fields=["action", "confirmed_at"], name="submission_confirmed_idx"),
        ]

    def __str__(self):
        return f"{self.name} — {self.action}"

    def confirm(self, now=None) -> bool:
        """Mark confirmed. True if this call confirmed it, False if it already was.

        A conditional UPDATE, so two clicks at once cannot both "win".
        """
        now = now or timezone.now()
        changed = Submission.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.CONFIRMED, confirmed_at=now
        )
        if changed:
            self.status, self.confirmed_at = self.Status.CONFIRMED, now
        return bool(changed)

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class DeliveryQuerySet(models.QuerySet):
    def backlog(self):
        """Letters not sent yet: queued, being sent, or waiting to be tried again."""
        return self.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])

    def waiting_to_retry(self):
        """Letters the mail server could not take for a passing reason, waiting for their
        next try (`next_attempt_at`; `last_error` says why), oldest trouble first."""
        return self.filter(status=Delivery.Status.QUEUED, retrying_since__isnull=False) \
            .order_by("retrying_since", "pk")


class Delivery(models.Model):
    """One letter to one target, tracked from queued to sent (or failed)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="deliveries")
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, related_name="deliveries")
    to_name = models.CharField(_("to"), max_length=200)
    to_email = models.EmailField(_("to address"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("message id"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    retrying_since = models.DateTimeField(
        _("failing since"), null=True, blank=True,
        help_text=_("The first of the temporary failures it is being retried after."))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "target"], name="one_delivery_per_target"),
        ]
        # Letters per target and status, as the campaign dashboard counts them.
        indexes = [models.Index(fields=["target", "status"], name="delivery_target_status_idx")]

    def __str__(self):
        return f"{self.to_email}: {self.get_status_display()}"
