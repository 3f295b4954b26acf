"""Markdown for blog posts: the campaign sanitiser (clamour.lib.markup) plus images
that load only from places the site allows.

An image in a post makes every reader's browser fetch it. From a third-party host that
tells the host who read the post, so by default images must come from the site itself
(uploaded images, a relative address such as /blog/images/3/); `image_hosts` adds
hosts the organisation trusts (its own media server). An image from anywhere else
keeps its alt text and loses its address. No Django imports here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .markup import ALLOWED_TAGS, render_markdown

POST_TAGS = ALLOWED_TAGS | {"figure", "figcaption"}


def image_allowed(src: str, image_hosts=(), site_host: str = "") -> bool:
    src = (src or "").strip()
    if src.startswith("/") and not src.startswith("//") and "\\" not in src:
        return True
    parts = urlsplit(src)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    allowed = {host.lower() for host in image_hosts if host} | (
        {site_host.lower()} if site_host else set()
    )
    return parts.hostname.lower() in allowed


def render_post_markdown(text: str, *, image_hosts=(), site_host: str = "") -> str:
    """Markdown written by an author → HTML safe to show, images from allowed places."""

    def keep(tag, attribute, value):
        if tag == "img" and attribute == "src":
            return value if image_allowed(value, image_hosts, site_host) else None
        return value

    return render_markdown(
        text,
        tags=POST_TAGS,
        attribute_filter=keep,
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    )
