"""The tracker's choices the public reads (verdicts, governments' positions) and the
words a subscriber agrees to: they are in the interface catalogues, so each language's
pages show its own words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerdictStatus(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    OPPOSES = "opposes", _("Opposes")
    UNDECIDED = "undecided", _("Undecided")
    UNKNOWN = "unknown", _("Unknown")


# Ticked on the subscription form, shown again on the confirmation page, and recorded,
# in the words and language of that page, as the consent when the subscriber confirms.
SUBSCRIBE_CONSENT_WORDING = _("Email me when a new breakdown is published. I can stop at any time.")
