import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clamour.actions.models import Action, Submission
from clamour.lib.countries import COUNTRY_CHOICES
from clamour.supporters.models import Supporter, normalise_email


def new_mailing_code() -> str:
    # "m" and 15 characters: never the length of a supporter's referral code (8), so
    # the two kinds of code on a link cannot be mistaken for each other.
    return "m" + secrets.token_hex(8)[:15]


class Mailing(models.Model):
    """An email written by a campaigner to the supporters of one action (a segment)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Confirmed(models.TextChoices):
        ANY = "", _("Confirmed or not")
        YES = "yes", _("Confirmed only")
        NO = "no", _("Not confirmed only")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("message"),
        help_text=_("Markdown. {name} becomes the supporter's name and {link} the link to "
                    "the action below (added at the end if you do not place it)."),
    )
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="+", verbose_name=_("supporters of"),
        help_text=_("Everyone who took this action and said yes to being emailed."))
    country = models.CharField(_("only in country"), max_length=2, choices=COUNTRY_CHOICES,
                               blank=True)
    confirmed = models.CharField(_("confirmed"), max_length=3, choices=Confirmed.choices,
                                 blank=True, default=Confirmed.ANY)
    not_action = models.ForeignKey(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("but not yet"),
        help_text=_("Leave out those who have already taken this action (\u201cwrite again\u201d)."))
    link_action = models.ForeignKey(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("links to"),
        help_text=_("The action the email asks people to take; who then takes it is counted."))
    hourly_cap = models.PositiveIntegerField(
        _("messages per hour at most"), null=True, blank=True,
        help_text=_("Empty for as fast as the mail server takes them."))
    code = models.CharField(_("mailing code"), max_length=16, unique=True,
                            default=new_mailing_code, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    paused_until = models.DateTimeField(
        null=True, blank=True,
        help_text=_("The mail server refused a whole batch for now: sending waits till then."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        permissions = [("send_mailing", _("Can send a mailing"))]

    def __str__(self):
        return self.subject

    @property
    def topic(self) -> str:
        """The opt-out topic (besides "all") that stops this mailing."""
        return f"campaign:{self.action.campaign.slug}"

    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.SENDING)

    def audience(self, among=None):
        """The supporters this mailing is for, as a query (never loaded at once):
        those who took the action (narrowed by country, confirmation, and not having
        taken `not_action`) whom we may email on the campaign's topic
        (SupporterQuerySet.may_email: not erased, not opted out of the campaign or of
        everything, latest answer on the topic a yes), minus addresses that bounced or
        complained. `among`: only these supporter ids (the
        check at sending time, which then reads only their rows)."""
        def only(rows):
            return rows if among is None else rows.filter(supporter_id__in=among)

        took = only(Submission.objects.filter(action_id=self.action_id))
        if self.country:
            took = took.filter(country=self.country)
        if self.confirmed:
            status = (Submission.Status.CONFIRMED if self.confirmed == self.Confirmed.YES
                      else Submission.Status.PENDING)
            took = took.filter(status=status)
        # Who may be emailed on the campaign's topic is the supporters app's one rule.
        people = Supporter.objects.all()
        if among is not None:
            people = people.filter(pk__in=among)
        people = people.may_email(self.topic).filter(
            pk__in=took.values("supporter_id"),
        ).exclude(email__in=BouncedAddress.objects.values("email"))
        if self.not_action_id:
            people = people.exclude(pk__in=only(Submission.objects.filter(
                action_id=self.not_action_id)).values("supporter_id"))
        return people

    def link(self) -> str:
        """The linked action's page, carrying this mailing's code."""
        if self.link_action_id is None:
            return ""
        path = reverse("campaigns:detail", args=[self.link_action.campaign.slug])
        return f"{settings.SITE_URL}{path}?ref={self.code}"

    def counts(self) -> dict:
        """Recipients by status (one query)."""
        found = dict(self.recipients.values_list("status").annotate(n=models.Count("pk"))
                     .order_by())
        counts = {status: found.get(status, 0) for status in Recipient.Status.values}
        counts["total"] = sum(found.values())
        counts["done"] = counts["total"] - counts[Recipient.Status.QUEUED] - counts[Recipient.Status.SENDING]
        return counts

    def took_linked_action(self) -> int:
        """Recipients who then took the linked action through this mailing's link."""
        if self.link_action_id is None:
            return 0
        return Submission.objects.filter(
            action_id=self.link_action_id, referral_code=self.code,
            supporter_id__in=self.recipients.values("supporter_id"),
        ).count()


class Recipient(models.Model):
    """One supporter's copy of a mailing: claimed before it is sent, so it goes once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (opted out, erased or bounced)")
        CANCELLED = "cancelled", _("Cancelled")
        BOUNCED = "bounced", _("Bounced")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [models.UniqueConstraint(fields=["mailing", "supporter"],
                                               name="one_copy_per_supporter")]
        indexes = [models.Index(fields=["mailing", "status"], name="recipient_status_idx"),
                   models.Index(fields=["mailing", "claimed_at"], name="recipient_claimed_idx")]

    def __str__(self):
        return f"{self.mailing_id}: {self.supporter_id} ({self.status})"

    def message_id_header(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
        return f"<mailing-{self.mailing_id}-{self.pk}@{domain}>"


class BouncedAddressQuerySet(models.QuerySet):
    def of(self, emails) -> set[str]:
        return set(self.filter(email__in=[normalise_email(e) for e in emails])
                   .values_list("email", flat=True))


class BouncedAddress(models.Model):
    """An address that bounced for good or whose owner reported our mail as spam: no
    mailing goes to it again."""

    class Kind(models.TextChoices):
        BOUNCE = "bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Complaint")

    email = models.EmailField(_("email"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = BouncedAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("bounced address")
        verbose_name_plural = _("bounced addresses")

    def __str__(self):
        return f"{self.email} ({self.kind})"

