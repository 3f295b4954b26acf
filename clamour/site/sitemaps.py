"""The sitemap at /sitemap.xml: every public page, once per language, with addresses on
SITE_URL. Each entry names its versions in every language (and English as x-default)
with <xhtml:link rel="alternate" hreflang="…">, as the pages themselves do."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clamour.blog.models import Author, Post, Tag
from clamour.campaigns.models import Campaign
from clamour.treaties.models import Draft, Treaty


class PublicPages(Sitemap):
    i18n = True  # one entry per language in settings.LANGUAGES
    alternates = True
    x_default = True

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class NamedPages(PublicPages):
    """Pages found by URL name: the name is reversed in each language in turn."""

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


class PostSitemap(PublicPages):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Post.objects.published().order_by("-published_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class CampaignSitemap(PublicPages):
    changefreq = "daily"
    priority = 0.9

    def items(self):
        return Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-created_at")


class BlogPagesSitemap(NamedPages):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        published = Post.objects.published()
        pages = [("campaigns:home", []), ("blog:index", [])]
        pages += [("blog:tag", [slug]) for slug in
                  Tag.objects.filter(posts__in=published).distinct().values_list("slug", flat=True)]
        pages += [("blog:author", [slug]) for slug in
                  Author.objects.filter(posts__in=published).distinct().values_list("slug", flat=True)]
        return pages


class TreatySitemap(NamedPages):
    """The treaty tracker's public pages: the list, each public treaty with its
    positions and comparison, and each published breakdown."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        pages = [("treaties:index", [])]
        for slug in Treaty.objects.public().order_by("slug").values_list("slug", flat=True):
            pages += [("treaties:treaty", [slug]), ("treaties:positions", [slug]),
                      ("treaties:compare", [slug])]
        pages += [("treaties:breakdown", [treaty, draft]) for treaty, draft in
                  Draft.objects.filter(published_at__isnull=False, treaty__in=Treaty.objects.public())
                  .order_by("treaty__slug", "date", "pk").values_list("treaty__slug", "slug")]
        return pages


SITEMAPS = {"campaigns": CampaignSitemap, "posts": PostSitemap, "blog": BlogPagesSitemap,
            "treaties": TreatySitemap}
