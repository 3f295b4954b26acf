"""Markdown to safe HTML.

Campaign stories and updates are written by staff, but accounts get phished and text
gets pasted from elsewhere, so the HTML is always cleaned with an allow-list (nh3, the
Python binding of the Ammonia sanitiser): no scripts, no event handlers, no styles,
links get rel="noopener noreferrer nofollow".
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, *, tags=ALLOWED_TAGS, **clean_options) -> str:
    """Render Markdown written by a person into HTML that is safe to show. `tags` and
    further nh3.clean options let a caller allow a little more (blog posts: figures,
    images from allowed places)."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        **clean_options,
    )
