from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clamour.core import texts as staff_texts
from clamour.core.access import is_staff_member
from clamour.core.markup import render_staff_markdown
from clamour.core.models import DatedUpdate


def render_post_text(text: str) -> str:
    return render_staff_markdown(text, figures=True)


class Author(models.Model):
    """A person who writes posts, with a public page. Staff and volunteers both log in
    as Django users; only users with `blog.publish_post` can publish."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        VOLUNTEER = "volunteer", _("Volunteer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
    )
    slug = models.SlugField(_("address"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    bio = models.TextField(
        _("about"), blank=True, help_text=_("Markdown, shown on the author's page.")
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:author", args=[self.slug])

    def bio_html(self):
        return render_staff_markdown(self.bio)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("address"), unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", args=[self.slug])


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Posts readers can see: published, and their publish date has come."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def for_lists(self):
        return self.prefetch_related("authors", "tags").order_by("-published_at", "-pk")


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for an editor")
        PUBLISHED = "published", _("Published (or scheduled)")

    slug = models.SlugField(_("address"), unique=True, max_length=120)
    title = models.CharField(_("headline"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences, shown in lists, feeds and when shared."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown. Images: upload them below and paste the line shown, or use images from "
            "this site."
        ),
    )
    authors = models.ManyToManyField(Author, related_name="posts", verbose_name=_("authors"))
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True, verbose_name=_("tags"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("campaign"),
        help_text=_("The campaign's action is shown in the post."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A future date schedules the post. Empty: now, when it is published."),
    )
    # {"fr": {"title": …, "summary": …, "body": …}, …}: the post in other languages.
    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_post", _("Can approve and publish posts"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:post", args=[self.slug])

    def body_html(self):
        return render_post_text(self.body)

    # Posts are written in the site's default language; a translation is optional.
    TRANSLATED_FIELDS = ("title", "summary", "body")

    @property
    def language(self) -> str:
        return settings.LANGUAGE_CODE

    def has_texts_in(self, code: str) -> bool:
        return (code == self.language
                or staff_texts.texts_in(self, code, self.TRANSLATED_FIELDS) is not None)

    def languages(self) -> list[str]:
        """The site's languages this post can be read in (its own and translations)."""
        return [code for code, _name in settings.LANGUAGES if self.has_texts_in(code)]

    def missing_languages(self) -> list[str]:
        return staff_texts.missing_languages(self, self.language, self.TRANSLATED_FIELDS)

    def localised(self, code: str) -> "Post":
        """A copy with its headline, summary and text in language `code` where all are
        given, else in its own language (`core.texts.localised`)."""
        return staff_texts.localised(self, code, self.language, self.TRANSLATED_FIELDS)

    def is_public(self, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    def is_scheduled(self, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > (now or timezone.now())
        )

    def can_be_previewed_by(self, user) -> bool:
        """Staff who may publish, and the post's own authors, see it before it is out."""
        if not is_staff_member(user):
            return False
        return user.has_perm("blog.publish_post") or self.authors.filter(user=user).exists()


class PostUpdate(DatedUpdate):
    """A dated update added on top of a published post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="updates")

    class Meta(DatedUpdate.Meta):
        pass

    def body_html(self):
        return render_post_text(self.body)


def image_path(instance, filename):
    return f"blog/{timezone.now():%Y/%m}/{filename}"


class PostImage(models.Model):
    """An image uploaded for a post, served from /blog/images/<id>/."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(
        _("image"), upload_to=image_path, help_text=_("PNG, JPEG, GIF or WebP.")
    )
    alt = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    content_type = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["pk"]

    def __str__(self):
        return self.alt

    def get_absolute_url(self):
        return reverse("blog:image", args=[self.pk])

    def markdown(self):
        return f"![{self.alt}]({self.get_absolute_url()})"
