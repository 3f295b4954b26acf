"""Atom (/blog/feed/) and RSS (/blog/rss/) feeds of the latest posts, with absolute
links on SITE_URL."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .models import Post

FEED_SIZE = 20


class AtomWithContent(Atom1Feed):
    """Atom with each post's full text in <content>, its summary in <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def absolute_links(html: str) -> str:
    """Feed readers show a post away from the site: its own links must be absolute."""
    return html.replace(' src="/', f' src="{settings.SITE_URL}/').replace(
        ' href="/', f' href="{settings.SITE_URL}/'
    )


class LatestPostsRss(Feed):
    feed_type = Rss201rev2Feed
    description = _("The latest posts.")

    def title(self):
        return _("%(site)s blog") % {"site": settings.SITE_NAME}

    def link(self):
        return settings.SITE_URL + reverse("blog:index")

    def feed_url(self):
        return settings.SITE_URL + reverse("blog:rss")

    def items(self):
        return list(Post.objects.published().for_lists()[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return absolute_links(item.body_html())

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestPostsAtom(LatestPostsRss):
    feed_type = AtomWithContent
    subtitle = LatestPostsRss.description

    def feed_url(self):
        return settings.SITE_URL + reverse("blog:feed")

    def item_description(self, item):
        return item.summary

    def item_extra_kwargs(self, item):
        return {"content": absolute_links(item.body_html())}
