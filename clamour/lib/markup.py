"""Markdown written by staff to safe HTML: the one rule for campaign stories and
updates, action texts, blog posts, author pages and treaty texts.

Staff write it, but accounts get phished and text gets pasted from elsewhere, so the
HTML is always cleaned with an allow-list (nh3, the Python binding of the Ammonia
sanitiser): no scripts, no event handlers, no styles, links get
rel="noopener noreferrer nofollow".

Images load only from places the site allows. An image makes every reader's browser
fetch it; from a third-party host that tells the host who read the page. So an image
must come from the site itself (a relative address such as /blog/images/3/, or the
site's own host) or from `image_hosts`, hosts the organisation trusts (its own media
server). An image from anywhere else keeps its alt text and loses its address. An
address holding a control character or white space is refused outright: browsers drop
tabs and line breaks from inside a URL, so `/<tab>/other-host/p.png` is read as
`//other-host/p.png`, another host. No Django imports here.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
FIGURE_TAGS = ALLOWED_TAGS | {"figure", "figcaption"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def image_allowed(src: str, image_hosts=(), site_host: str = "") -> bool:
    """May an image load from `src`? Same-site paths, the site's host and `image_hosts`
    only; never an address with a control character, white space or a backslash."""
    src = src or ""
    if not src or "\\" in src or any(
        char.isspace() or unicodedata.category(char) == "Cc" for char in src
    ):
        return False
    if src.startswith("/") and not src.startswith("//"):
        return True
    parts = urlsplit(src)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    allowed = {host.lower() for host in image_hosts if host} | (
        {site_host.lower()} if site_host else set()
    )
    return parts.hostname.lower() in allowed


def render_markdown(
    text: str, *, image_hosts=(), site_host: str = "", figures: bool = False
) -> str:
    """Markdown written by a person → HTML that is safe to show, images only from
    allowed places. `figures` also allows <figure> and <figcaption> (blog posts)."""

    def keep(tag, attribute, value):
        if tag == "img" and attribute == "src":
            return value if image_allowed(value, image_hosts, site_host) else None
        return value

    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=FIGURE_TAGS if figures else ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=keep,
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    )
