"""Choices the public reads (a supporter's account lists the kind of each action):
their labels are in the interface catalogues."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    LETTER = "letter", _("Letter to decision-makers")
    PETITION = "petition", _("Petition")
