"""Share links for the networks supporters use, built as plain URLs.

No network's script is ever loaded on our pages: each link opens the network's own
share page in a new tab, and nothing is sent to anyone until the person clicks.
"""

from urllib.parse import quote, urlencode


def share_links(url: str, text: str, subject: str) -> list[dict]:
    """A list of {"network", "label", "href"}; Mastodon goes through our own chooser."""
    both = f"{text} {url}"
    return [
        {"network": "whatsapp", "label": "WhatsApp", "href": "https://wa.me/?" + urlencode({"text": both})},
        {"network": "email", "label": "Email",
         "href": "mailto:?" + urlencode({"subject": subject, "body": both}, quote_via=quote)},
        {"network": "x", "label": "X", "href": "https://x.com/intent/post?" + urlencode({"text": text, "url": url})},
        {"network": "facebook", "label": "Facebook",
         "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})},
        {"network": "bluesky", "label": "Bluesky",
         "href": "https://bsky.app/intent/compose?" + urlencode({"text": both})},
        {"network": "telegram", "label": "Telegram",
         "href": "https://t.me/share/url?" + urlencode({"url": url, "text": text})},
    ]


def mastodon_share_url(instance: str, text: str) -> str | None:
    """The share page on a person's own Mastodon server, or None if `instance` is not a host name."""
    host = instance.strip().lower()
    for prefix in ("https://", "http://"):
        if host.startswith(prefix):
            host = host[len(prefix):]
    host = host.split("/", 1)[0].lstrip("@")
    if "@" in host:  # "@me@mastodon.social" → "mastodon.social"
        host = host.rsplit("@", 1)[1]
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253 or not all(
        label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii()
        for label in labels
    ):
        return None
    return f"https://{host}/share?" + urlencode({"text": text})
