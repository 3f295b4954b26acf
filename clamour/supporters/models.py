import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from clamour.lib.countries import COUNTRY_CHOICES
from clamour.lib.emails import normalise_email


def new_referral_code() -> str:
    return secrets.token_urlsafe(6)


# Topics whose emails a person asks for each time (the "email me when someone replies"
# box on each comment): no standing consent is needed, only the absence of an opt-out.
ASKED_EACH_TIME = frozenset({"comment-replies"})


class SupporterQuerySet(models.QuerySet):
    def active(self):
        """People who have not had their data erased (the erased stay as empty rows so
        that what they did still counts)."""
        return self.filter(erased_at__isnull=True)

    def may_email(self, topic: str):
        """The people we may email on `topic` ("campaign:<slug>", "treaty:<slug>", "all"
        for news from us, "comment-replies"): not erased, not opted out of the topic or
        of everything, and, unless the topic is asked for each time, whose latest answer
        about this topic was yes. A "no" (or no answer at all) keeps a person out, and so
        does a later "no" after a "yes". Every mailing and every "send me" box uses it.
        """
        people = self.active().exclude(
            Exists(EmailOptOut.objects.filter(
                supporter=OuterRef("pk"), topic__in={topic, EmailOptOut.ALL})))
        if topic in ASKED_EACH_TIME:
            return people
        latest = (Consent.objects.filter(supporter=OuterRef("pk"), topic=topic)
                  .order_by("-created_at", "-pk").values("given")[:1])
        return people.alias(consented=Subquery(latest)).filter(consented=True)

    def get_or_create_by_email(self, email: str, **defaults) -> "Supporter":
        """The supporter with this email, created if new; safe under concurrent requests.

        INSERT … ON CONFLICT DO NOTHING, then read: no exception (and so no savepoint)
        when another request created the same person a moment earlier.
        """
        email = normalise_email(email)
        for _attempt in range(3):
            found = self.filter(email=email).first()
            if found is not None:
                return found
            # Nothing inserted means this email was taken meanwhile (found on the next
            # read) or, very rarely, the new referral code was; a new one is drawn.
            self.bulk_create([self.model(email=email, **defaults)], ignore_conflicts=True)
        found = self.filter(email=email).first()
        if found is None:
            raise IntegrityError(f"could not create a supporter for {email}")
        return found


class Supporter(models.Model):
    """One person, whatever they have done; deduplicated by email."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("The language of the page they last acted on; their emails are in it."),
    )
    referral_code = models.CharField(
        _("referral code"), max_length=16, unique=True, default=new_referral_code
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True,
        help_text=_("The record stays, emptied, so that the person's actions still count."),
    )

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]
        permissions = [
            ("export_supporter_data", _("Can export everything held about a supporter")),
            ("erase_supporter_data", _("Can erase a supporter's personal data")),
        ]

    def __str__(self):
        if self.erased_at:
            return _("Erased supporter #%(number)s") % {"number": self.pk}
        return f"{self.name} <{self.email}>"

    def email_language(self) -> str:
        """The language emails to this person are written in: theirs if the site still
        has it, else the site's default."""
        return self.language if self.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def may_email(self, topic: str) -> bool:
        """Whether we may email this person on `topic`: see SupporterQuerySet.may_email."""
        return Supporter.objects.filter(pk=self.pk).may_email(topic).exists()


class Consent(models.Model):
    """A yes or no to a question, with the exact words the person was shown."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    wording = models.TextField(_("wording shown"))
    given = models.BooleanField(_("given"))
    topic = models.CharField(
        _("topic"), max_length=100, blank=True,
        help_text=_('The emails this answer is about ("campaign:<slug>", "treaty:<slug>", '
                    '"all"); the latest answer per topic decides.'))
    source = models.CharField(_("where"), max_length=200, help_text=_("The page or action."))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)


    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.supporter_id}: {'yes' if self.given else 'no'} ({self.source})"


class EmailOptOut(models.Model):
    """A supporter asked for no more email on a topic ("all" means every mailing).

    Transactional emails the person has just asked for (a confirmation link, a log-in
    link) are still sent, each with the same unsubscribe link.
    """

    ALL = "all"

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="opt_outs")
    topic = models.CharField(_("topic"), max_length=100)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["supporter", "topic"], name="one_opt_out_per_topic"),
        ]

    def __str__(self):
        return f"{self.supporter_id}: {self.topic}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(used_at__isnull=True, expires_at__gt=now)


class LoginToken(models.Model):
    """A log-in link sent by email: single use, short-lived.

    Only a hash of the token is stored, so the database alone cannot be used to log in.
    """

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="login_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    objects = LoginTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("log-in link")
        verbose_name_plural = _("log-in links")
        indexes = [models.Index(fields=["expires_at"], name="login_token_expiry_idx")]

    def __str__(self):
        return f"{self.supporter_id}: {self.created_at:%Y-%m-%d %H:%M}"


class PrivacyLogEntry(models.Model):
    """Who exported or erased whose data, and when. Holds no personal data itself:
    the supporter is named by record number only, and the details are counts."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Data export")
        ERASE = "erase", _("Erasure")

    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    supporter = models.ForeignKey(Supporter, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("supporter"))
    supporter_number = models.PositiveBigIntegerField(_("supporter record"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("staff member"))
    staff_username = models.CharField(
        _("done by"), max_length=150, blank=True,
        help_text=_("The staff member's user name; empty when the supporter did it themself."),
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("privacy log entry")
        verbose_name_plural = _("privacy log")
        ordering = ["-created_at"]

    def __str__(self):
        who = self.staff_username or _("the supporter")
        return f"{self.get_kind_display()} #{self.supporter_number} by {who}"


class PrivacyNotice(models.Model):
    """The privacy notice at /privacy/, as staff wrote it. While there is none, the page
    shows the default text (`privacy.default_notice()`), which staff start from."""

    body = models.TextField(
        _("notice"),
        help_text=_("Markdown. Say what you keep, why, for how long, who sees it, and how "
                    "people use their rights. The retention periods are set by the "
                    "server's settings: keep the figures here in step with them."))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notice")

    def __str__(self):
        return str(_("Privacy notice"))
