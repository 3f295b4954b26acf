import copy

from django.conf import settings
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
        """Whether the campaign has its headline, summary and story in language `code`."""
        if code == self.language:
            return True
        given = self.texts.get(code) or {}
        return all((given.get(field) or "").strip() for field in self.TRANSLATED_FIELDS)

    def missing_languages(self) -> list[str]:
        """The site's languages this campaign has no complete text in (their pages
        show the campaign's own language instead)."""
        return [code for code, _name in settings.LANGUAGES if not self.has_texts_in(code)]

    def localised(self, code: str) -> "Campaign":
        """A copy of this campaign with its texts in language `code` where all of them
        are given, else in its own language (never a page half in one language and half
        in another). `shown_language` says which. The original is left as it was (it
        may be shared between threads)."""
        shown = copy.copy(self)
        if code != self.language and self.has_texts_in(code):
            for field in self.TRANSLATED_FIELDS:
                setattr(shown, field, self.texts[code][field].strip())
            shown.shown_language = code
        else:
            shown.shown_language = self.language
        return shown

    def is_public(self):
        return self.status != self.Status.DRAFT


class Update(DatedUpdate):
    """A dated update added on top of the campaign story."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")

    class Meta(DatedUpdate.Meta):
        pass

    def body_html(self):
        return render_staff_markdown(self.body)
