"""The treaty tracker: successive drafts of a negotiated text, how their provisions map
onto each other, the campaign's asks with a verdict per draft, and government positions.

Identity across drafts: every provision row belongs to one *lineage* (its stable
identity), inherited through the stored alignment with the previous draft. A provision
also *carries* the lineages of everything it continues (a merged paragraph carries
both of its sources, each part of a split carries the original), which is what asks
are attached to: an attachment follows its lineage into every later draft.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clamour.actions.models import Action, Target
from clamour.core import texts as staff_texts
from clamour.core.markup import render_staff_markdown
from clamour.lib.countries import COUNTRY_CHOICES, country_name

from . import choices

# The language the tracker's public texts (asks, rationales) are written in first; the
# other languages' pages use their translations where given, else these.
PUBLIC_TEXTS_LANGUAGE = settings.LANGUAGE_CODE

# Treaty slugs that would clash with the tracker's own addresses.
RESERVED_SLUGS = {"staff", "feed", "subscriptions", "subscribe"}


class TrackerTexts:
    """The tracker's public texts in other languages (`texts`, one entry per language,
    every field of TRANSLATED_FIELDS given): staff write them in the tracker's own
    language first."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    def has_texts_in(self, code: str) -> bool:
        return (code == PUBLIC_TEXTS_LANGUAGE
                or staff_texts.texts_in(self, code, self.TRANSLATED_FIELDS) is not None)

    def missing_languages(self) -> list[str]:
        return staff_texts.missing_languages(self, PUBLIC_TEXTS_LANGUAGE, self.TRANSLATED_FIELDS)

    def localised(self, code: str):
        """A copy with its texts in language `code` where all are given, else in the
        tracker's own language (`core.texts.localised`)."""
        return staff_texts.localised(self, code, PUBLIC_TEXTS_LANGUAGE, self.TRANSLATED_FIELDS)


class TreatyQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Treaty(TrackerTexts, models.Model):
    """A treaty, or any text negotiated through successive drafts."""

    slug = models.SlugField(_("address"), unique=True, help_text=_("Used in the page address."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown, shown on the public page.")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="treaties",
        help_text=_("The campaign whose action the tracker links to."),
    )
    is_public = models.BooleanField(_("shown on the public site"), default=False)
    # {"fr": {"title": …, "description": …}, …}: the tracker's name and introduction in
    # other languages (the drafts themselves stay in the language they were negotiated in).
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TreatyQuerySet.as_manager()

    TRANSLATED_FIELDS = ("title", "description")

    class Meta:
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("treaties:treaty", args=[self.slug])

    def description_html(self):
        return render_staff_markdown(self.description)


    def action_url(self, country: str = "") -> str:
        """The campaign's action (on its page), optionally for one country; "" if none."""
        campaign = self.campaign
        if campaign is None or not campaign.is_public():
            return ""
        query = f"?country={country}" if country else ""
        return f"{campaign.get_absolute_url()}{query}#act"

    def writable_countries(self) -> set[str]:
        """Countries whose government the campaign's letter action has a contact for."""
        if self.campaign_id is None:
            return set()
        return set(
            Target.objects.filter(action__campaign_id=self.campaign_id, action__kind=Action.Kind.LETTER)
            .exclude(country="").values_list("country", flat=True)
        )


class Draft(models.Model):
    """One version of the text, as uploaded, parsed into provision rows."""

    class Source(models.TextChoices):
        MARKDOWN = "md", _("Markdown")
        TEXT = "txt", _("Plain text")
        DOCX = "docx", _("Word (DOCX)")
        PDF = "pdf", _("PDF")
        HTML = "html", _("HTML")
        PASTED = "pasted", _("Pasted text")

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="drafts")
    slug = models.SlugField(_("address"), max_length=80)
    label = models.CharField(
        _("label"), max_length=200, help_text=_("For example “Chair's draft, 24 July 2012”.")
    )
    date = models.DateField(_("date of the draft"))
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Markdown, shown on the breakdown page.")
    )
    source_kind = models.CharField(_("source format"), max_length=10, choices=Source.choices)
    source_file = models.FileField(
        _("original file"), upload_to="treaties/drafts/%Y/%m/", blank=True
    )
    source_name = models.CharField(_("original file name"), max_length=255, blank=True)
    source_text = models.TextField(_("pasted text"), blank=True)
    source_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    source_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    doc_title = models.CharField(_("title in the text"), max_length=500, blank=True)
    front_matter = models.TextField(_("front matter"), blank=True)
    chapeau = models.TextField(_("opening words"), blank=True)
    agreed_formula = models.TextField(_("agreed formula"), blank=True)
    closing = models.TextField(_("closing formula"), blank=True)
    published_at = models.DateTimeField(_("breakdown published"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["treaty", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "slug"], name="one_draft_slug_per_treaty")
        ]
        permissions = [("publish_draft", _("Can publish a draft's breakdown"))]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("treaties:breakdown", args=[self.treaty.slug, self.slug])

    @property
    def is_published(self):
        return self.published_at is not None

    def summary_html(self):
        return render_staff_markdown(self.summary)

    def timeline(self):
        """All drafts of the treaty in timeline order."""
        return list(Draft.objects.filter(treaty_id=self.treaty_id).order_by("date", "pk"))

    def previous(self, published_only=False):
        qs = Draft.objects.filter(treaty_id=self.treaty_id).filter(
            models.Q(date__lt=self.date) | models.Q(date=self.date, pk__lt=self.pk)
        )
        if published_only:
            qs = qs.filter(published_at__isnull=False)
        return qs.order_by("-date", "-pk").first()


class Lineage(models.Model):
    """The stable identity of a provision across drafts."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="lineages")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_draft = models.ForeignKey(
        Draft,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where this provision first appeared."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lineage")
        verbose_name_plural = _("lineages")

    def __str__(self):
        return f"lineage {self.pk}"


class Provision(models.Model):
    """A paragraph-level provision: a preambular paragraph, a principle, a numbered
    paragraph of an article, or the body of an unnumbered article. Sub-items ((a), (i))
    are lines of its text, each starting with its label."""

    class Kind(models.TextChoices):
        PREAMBLE = "preamble", _("Preamble")
        PRINCIPLE = "principle", _("Principle")
        PARAGRAPH = "paragraph", _("Paragraph")
        BODY = "body", _("Article body")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="provisions")
    order = models.PositiveIntegerField(_("order"))
    pid = models.CharField(
        _("id"), max_length=40, help_text=_("PP3, PR1, 5.2 or 7, in the draft's own numbering.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("number"), max_length=20, blank=True)
    article = models.CharField(_("article"), max_length=20, blank=True)
    article_title = models.CharField(_("article title"), max_length=300, blank=True)
    text = models.TextField(
        _("text"), help_text=_("Sub-items on their own lines, starting with their label.")
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("The draft's footnotes on this provision, one a line; never part of its text."),
    )
    tracked_redline = models.TextField(
        _("the draft's own tracked changes"),
        blank=True,
        help_text=_("Kept on request from a Word draft circulated with revisions."),
    )  # escaped by the engine; <del>/<ins> only
    lineage = models.ForeignKey(
        Lineage, null=True, blank=True, on_delete=models.SET_NULL, related_name="provisions"
    )
    lineages = models.ManyToManyField(
        Lineage, through="ProvisionLineage", related_name="carriers", blank=True
    )

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["draft", "order"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "pid"], name="one_provision_id_per_draft")
        ]

    def __str__(self):
        return f"{self.draft_id}:{self.pid}"

    @property
    def note_list(self) -> list[str]:
        return [line for line in self.notes.splitlines() if line.strip()]

    @property
    def flat_text(self) -> str:
        """The text as one line, sub-items and their labels included (what is compared)."""
        return " ".join(line.strip() for line in self.text.splitlines() if line.strip())

    @property
    def name(self) -> str:
        """How a reader refers to it: "Article 5(2)", "Article 9", "Preamble, paragraph 3"."""
        if self.kind == self.Kind.PREAMBLE:
            return _("Preamble, paragraph %(n)s") % {"n": self.label or self.pid[2:]}
        if self.kind == self.Kind.PRINCIPLE:
            return _("Principle %(n)s") % {"n": self.label or self.pid[2:]}
        if self.label and self.article:
            return _("Article %(a)s(%(p)s)") % {"a": self.article, "p": self.label}
        if self.article:
            return _("Article %(a)s") % {"a": self.article}
        return self.pid

    @property
    def section_key(self) -> str:
        """Anchor of the part of the text it belongs to: "preamble", "principles", "art-5"."""
        if self.kind == self.Kind.PREAMBLE:
            return "preamble"
        if self.kind == self.Kind.PRINCIPLE:
            return "principles"
        return f"art-{self.article}"


class ProvisionLineage(models.Model):
    """A provision carries the lineages of everything it continues."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="+")
    lineage = models.ForeignKey(Lineage, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provision", "lineage"], name="one_carry_per_lineage")
        ]


class Comparison(models.Model):
    """The stored alignment of two drafts (consecutive ones are computed at upload,
    others the first time someone compares them)."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="comparisons")
    old_draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+")
    new_draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(_("time to align (s)"), default=0)
    counts = models.JSONField(_("counts per kind"), default=dict)

    class Meta:
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        constraints = [
            models.UniqueConstraint(
                fields=["old_draft", "new_draft"], name="one_comparison_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.old_draft_id} → {self.new_draft_id}"


class MatchGroup(models.Model):
    """One line of an alignment: old provision(s) → new provision(s), with its kind."""

    class Kind(models.TextChoices):
        UNCHANGED = "unchanged", _("unchanged")
        REWORDED = "reworded", _("reworded")
        MOVED = "moved", _("moved or renumbered")
        SPLIT = "split", _("split")
        MERGED = "merged", _("merged")
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    score = models.FloatField(default=0)
    pinned = models.BooleanField(default=False)
    old_ids = models.JSONField(default=list)  # Provision pks in the old draft
    new_ids = models.JSONField(default=list)  # Provision pks in the new draft
    text_changed = models.BooleanField(default=False)
    redline_html = models.TextField(blank=True)  # escaped by the engine; <del>/<ins> only
    section = models.CharField(max_length=30, blank=True)  # navigation anchor ("art-7")

    class Meta:
        ordering = ["comparison", "order"]

    def __str__(self):
        return f"{self.kind} {self.old_ids} → {self.new_ids}"


class Correction(models.Model):
    """An analyst's correction of an alignment: a pinned match, or a forbidden pair.
    Applied again every time the same two drafts are aligned."""

    class Kind(models.TextChoices):
        PIN = "pin", _("These match")
        FORBID = "forbid", _("These do not match")

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="corrections")
    old_draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+")
    new_draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    old_ids = models.JSONField(default=list)
    new_ids = models.JSONField(default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("alignment correction")
        verbose_name_plural = _("alignment corrections")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind} {self.old_ids} → {self.new_ids}"


class Ask(TrackerTexts, models.Model):
    """Something the campaign wants the text to say."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="asks")
    title = models.CharField(
        _("ask"),
        max_length=200,
        help_text=_("For example “All ammunition under the same export criteria”."),
    )
    description = models.TextField(_("why it matters"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # {"fr": {"title": …, "description": …}, …}: the ask in other languages.
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ask")
        verbose_name_plural = _("asks")
        ordering = ["treaty", "order", "pk"]

    def __str__(self):
        return self.title

    TRANSLATED_FIELDS = ("title", "description")



class AskAttachment(models.Model):
    """An ask concerns a provision; attached to its lineage so it follows it into later
    drafts. When the lineage has no provision in the newest draft it is flagged for
    review until the analyst marks it reviewed for that draft."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="attachments")
    lineage = models.ForeignKey(Lineage, on_delete=models.CASCADE, related_name="attachments")
    attached_in = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_in = models.ForeignKey(
        Draft,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The analyst checked this attachment against this draft."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ask attachment")
        verbose_name_plural = _("ask attachments")
        constraints = [
            models.UniqueConstraint(fields=["ask", "lineage"], name="one_attachment_per_lineage")
        ]

    def __str__(self):
        return f"{self.ask} ↔ {self.lineage}"


class Verdict(TrackerTexts, models.Model):
    """How far one draft meets one ask."""

    Status = choices.VerdictStatus

    class Origin(models.TextChoices):
        ANALYST = "analyst", _("Recorded by an analyst")
        CARRIED = "carried", _("Carried over: the attached text did not change")
        SUGGESTED = "suggested", _("Suggested: the attached text changed, please confirm")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="verdicts")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="verdicts")
    status = models.CharField(_("verdict"), max_length=8, choices=Status.choices)
    rationale = models.TextField(_("public rationale"), blank=True)
    # {"fr": {"rationale": …}, …}: the rationale in other languages.
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ANALYST)
    review_note = models.TextField(_("why to review"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        constraints = [
            models.UniqueConstraint(fields=["ask", "draft"], name="one_verdict_per_ask_and_draft")
        ]

    def __str__(self):
        return f"{self.ask} / {self.draft}: {self.status}"

    TRANSLATED_FIELDS = ("rationale",)

    @property
    def is_public(self):
        """A suggestion is not shown to the public until an analyst confirms it."""
        return self.origin != self.Origin.SUGGESTED

    @property
    def is_loophole(self):
        return self.is_public and self.status != self.Status.MET


class Position(models.Model):
    """Where a government stands on an ask, as of a date, with a source."""

    Stance = choices.Stance

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="positions")
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    stance = models.CharField(_("position"), max_length=10, choices=Stance.choices)
    date = models.DateField(_("as of"), default=timezone.localdate)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("government position")
        verbose_name_plural = _("government positions")
        ordering = ["ask", "country", "-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ask", "country", "date"], name="one_position_per_ask_country_date"
            )
        ]

    def __str__(self):
        return f"{self.country} {self.stance} {self.ask_id} ({self.date})"

    @property
    def country_name(self):
        """In the language of the page (CLDR's names)."""
        return country_name(self.country, get_language())


# The words a subscriber agrees to: ticked on the form, and recorded as their consent
# when they confirm from the email.
SUBSCRIBE_CONSENT_WORDING = choices.SUBSCRIBE_CONSENT_WORDING


class Subscription(models.Model):
    """A supporter asked to be emailed when a breakdown of this treaty is published."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="subscriptions")
    supporter = models.ForeignKey(
        "supporters.Supporter", on_delete=models.CASCADE, related_name="treaty_subscriptions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("breakdown subscription")
        verbose_name_plural = _("breakdown subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "supporter"], name="one_subscription_per_treaty"
            )
        ]

    def __str__(self):
        return f"{self.supporter_id} → {self.treaty_id} ({self.status})"

    @property
    def topic(self):
        return f"treaty:{self.treaty.slug}"


class BreakdownAlert(models.Model):
    """One alert email about one published breakdown to one subscriber; the row makes
    sure it is sent once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (opted out)")
        FAILED = "failed", _("Failed")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="alerts")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("breakdown alert")
        verbose_name_plural = _("breakdown alerts")
        constraints = [
            models.UniqueConstraint(fields=["draft", "subscription"], name="one_alert_per_draft")
        ]

    def __str__(self):
        return f"{self.draft_id} → {self.subscription_id}: {self.status}"
