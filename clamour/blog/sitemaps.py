"""The sitemap at /sitemap.xml: blog posts, tags and authors, and public campaigns,
with addresses on SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clamour.campaigns.models import Campaign

from .models import Author, Post, Tag


class OnSiteUrl(Sitemap):
    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class PostSitemap(OnSiteUrl):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Post.objects.published().order_by("-published_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class CampaignSitemap(OnSiteUrl):
    changefreq = "daily"
    priority = 0.9

    def items(self):
        return Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-created_at")


class BlogPagesSitemap(OnSiteUrl):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        pages = [reverse("blog:index")]
        pages += [
            tag.get_absolute_url()
            for tag in Tag.objects.filter(posts__in=Post.objects.published()).distinct()
        ]
        pages += [
            author.get_absolute_url()
            for author in Author.objects.filter(posts__in=Post.objects.published()).distinct()
        ]
        return pages

    def location(self, item):
        return item


SITEMAPS = {"campaigns": CampaignSitemap, "posts": PostSitemap, "blog": BlogPagesSitemap}
