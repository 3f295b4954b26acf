"""Staff Markdown on this site: clamour.lib.markup with the image hosts from settings
(the site's own host and BLOG_IMAGE_HOSTS). Every model that shows staff Markdown
renders it here, so one rule holds everywhere."""

from urllib.parse import urlsplit

from django.conf import settings

from clamour.lib.markup import render_markdown


def render_staff_markdown(text: str, *, figures: bool = False) -> str:
    return render_markdown(
        text,
        image_hosts=settings.BLOG_IMAGE_HOSTS,
        site_host=urlsplit(settings.SITE_URL).hostname or "",
        figures=figures,
    )
