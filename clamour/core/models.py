"""What more than one app's models are made of."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clamour.core import texts


class DatedUpdateQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_at__lte=now or timezone.now())


class DatedUpdate(models.Model):
    """A dated update added on top of a story ("Update, 28 July: ..."): a campaign's or
    a blog post's. The concrete model adds what it belongs to and how its text renders."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    published_at = models.DateTimeField(
        _("date"), default=timezone.now, help_text=_("Shown on the update; a future date schedules it.")
    )
    # {"fr": {"title": …, "body": …}, …}: the update in other languages (core.texts).
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)

    objects = DatedUpdateQuerySet.as_manager()

    class Meta:
        abstract = True
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-published_at"]

    def __str__(self):
        return self.title or f"Update, {self.published_at:%d %B %Y}"

    TRANSLATED_FIELDS = ("title", "body")

    def localised(self, code: str, own_language: str):
        """A copy with its title and text in language `code` where given, else in
        `own_language`, that of what it updates (`core.texts.localised`)."""
        return texts.localised(self, code, own_language, self.TRANSLATED_FIELDS)
