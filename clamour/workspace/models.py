from django.db import models
from django.utils.translation import gettext_lazy as _


class Workspace(models.Model):
    """No table: the holder of the workspace's own permissions (roles are groups that
    hold them; see the "Campaigners" group made by this app's migrations)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("use_workspace", _("Can see the campaigner's workspace")),
            ("export_personal_data", _("Can export supporters' personal data")),
        ]


class Tally(models.Model):
    """How many submissions one action received: per closed hour (UTC) for the HOUR
    dimension; per country, referral code or utm_source/utm_campaign pair for each
    stretch of closed hours summed at once (`hour` is then the stretch's end).
    `submitted` counts by when they were made, `confirmed` by when they were confirmed,
    so a closed hour's figures never change.

    A summary of append-only rows kept so the dashboard reads a few hundred of these
    instead of counting a million submissions (see `tallies.refresh`).
    """

    class Dimension(models.TextChoices):
        HOUR = "hour", _("hour")
        COUNTRY = "country", _("country")
        REFERRAL = "ref", _("referral code")
        UTM = "utm", _("utm_source / utm_campaign")

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    value = models.CharField(max_length=140, blank=True)
    submitted = models.PositiveIntegerField(default=0)
    confirmed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "hour", "dimension", "value"],
                                               name="one_tally_per_hour_and_value")]
        indexes = [models.Index(fields=["action", "dimension", "value"], name="tally_value_idx")]


class TallyMark(models.Model):
    """Up to when (exclusive, a whole hour) an action's submissions are in Tally."""

    action = models.OneToOneField("actions.Action", on_delete=models.CASCADE, related_name="+")
    through = models.DateTimeField()
