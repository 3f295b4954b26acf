import secrets

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from clamour.lib.countries import COUNTRY_CHOICES


def new_referral_code() -> str:
    return secrets.token_urlsafe(6)


def normalise_email(email: str) -> str:
    """One spelling per mailbox: trimmed, domain lower-cased, local part lower-cased.

    Lower-casing the local part is not strictly RFC 5321, but no mailbox provider that
    supporters use treats case as significant, and it is what makes one record per person.
    """
    return email.strip().lower()


class SupporterQuerySet(models.QuerySet):
    def get_or_create_by_email(self, email: str, **defaults) -> "Supporter":
        """The supporter with this email, created if new; safe under concurrent requests."""
        email = normalise_email(email)
        try:
            return self.get(email=email)
        except Supporter.DoesNotExist:
            pass
        try:
            with transaction.atomic():
                return self.create(email=email, **defaults)
        except IntegrityError:
            # Another request created the same person (or the referral code collided).
            try:
                return self.get(email=email)
            except Supporter.DoesNotExist:
                with transaction.atomic():
                    return self.create(email=email, **defaults)


class Supporter(models.Model):
    """One person, whatever they have done; deduplicated by email."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    referral_code = models.CharField(
        _("referral code"), max_length=16, unique=True, default=new_referral_code
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Consent(models.Model):
    """A yes or no to a question, with the exact words the person was shown."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    wording = models.TextField(_("wording shown"))
    given = models.BooleanField(_("given"))
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
