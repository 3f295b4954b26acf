from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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

    def is_public(self):
        return self.status != self.Status.DRAFT


class Update(DatedUpdate):
    """A dated update added on top of the campaign story."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")

    class Meta(DatedUpdate.Meta):
        pass

    def body_html(self):
        return render_staff_markdown(self.body)
