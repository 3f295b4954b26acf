from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clamour.core import texts as staff_texts
from clamour.core.markup import render_staff_markdown
from clamour.core.models import DatedUpdate


class CampaignQuerySet(models.QuerySet):
    def live(self):
        """Campaigns the public can see, newest first."""
        return self.filter(status=Campaign.Status.LIVE)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (only staff can see it)")
        LIVE = "live", _("Live")
        ARCHIVED = "archived", _("Archived (visible, action closed)")

    slug = models.SlugField(_("address"), unique=True, help_text=_("Used in the page address."))
    title = models.CharField(_("headline"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences, shown in lists and when shared.")
    )
    story = models.TextField(_("story"), help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(
        _("language of these texts"), max_length=10, default=settings.LANGUAGE_CODE,
        help_text=_("Pages in a language with no complete text of its own show these."),
    )
    # {"fr": {"title": …, "summary": …, "story": …}, …}: the texts in other languages.
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.slug])

    def email_topic(self) -> str:
        """The topic of emails about this campaign (consents and opt-outs name it)."""
        return f"campaign:{self.slug}"

    def story_html(self):
        return render_staff_markdown(self.story)

    TRANSLATED_FIELDS = ("title", "summary", "story")

    def has_texts_in(self, code: str) -> bool:
        """Whether the campaign has all its texts in language `code`."""
        return (code == self.language
                or staff_texts.texts_in(self, code, self.TRANSLATED_FIELDS) is not None)

    def missing_languages(self) -> list[str]:
        """The site's languages this campaign has no complete texts in (their pages
        show its own language instead)."""
        return staff_texts.missing_languages(self, self.language, self.TRANSLATED_FIELDS)

    def localised(self, code: str) -> "Campaign":
        """A copy with its headline, summary and story in language `code` where all are
        given, else in its own language (`core.texts.localised`)."""
        return staff_texts.localised(self, code, self.language, self.TRANSLATED_FIELDS)

    def is_public(self):
        return self.status != self.Status.DRAFT


class Update(DatedUpdate):
    """A dated update added on top of the campaign story."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")

    class Meta(DatedUpdate.Meta):
        pass

    def body_html(self):
        return render_staff_markdown(self.body)
