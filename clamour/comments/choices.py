"""Choices the public reads (a supporter's account shows where each comment stands):
their labels are in the interface catalogues."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CommentStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the commenter to confirm their email")
    PENDING = "pending", _("Waiting for a moderator")
    PUBLISHED = "published", pgettext_lazy("comment status", "Published")
    HIDDEN = "hidden", _("Hidden after readers' flags, waiting for a moderator")
    REJECTED = "rejected", pgettext_lazy("comment status", "Rejected")
    SPAM = "spam", pgettext_lazy("comment status", "Spam")
