"""Choices the public reads (a supporter's account shows where each comment stands):
their labels are in the interface catalogues."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the commenter to confirm their email")
    PENDING = "pending", _("Waiting for a moderator")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden after readers' flags, waiting for a moderator")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")
