"""The sitemap names every public page once per language, each entry with its versions
in every language and English as x-default (hreflang alternates)."""

import xml.etree.ElementTree as ET

import pytest

from clamour.testing.blog import make_post
from clamour.testing.factories import make_campaign
from clamour.treaties.demo import load_treaty_demo

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = ["en", "fr", "es", "ar"]


def entries(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {url.find("s:loc", NS).text: {link.get("hreflang"): link.get("href")
                                         for link in url.findall("x:link", NS)
                                         if link.get("rel") == "alternate"}
            for url in ET.fromstring(response.content).findall("s:url", NS)}


def test_every_public_page_is_listed_in_each_language_with_its_alternates(client, settings):
    make_campaign("arms-trade-treaty")
    make_post("treaty-news", tags=["UN"])
    load_treaty_demo()
    found = entries(client)
    base = settings.SITE_URL
    pages = ["/", "/campaigns/arms-trade-treaty/", "/blog/", "/blog/treaty-news/",
             "/blog/tags/un/", "/treaties/", "/treaties/arms-trade-treaty/",
             "/treaties/arms-trade-treaty/positions/", "/treaties/arms-trade-treaty/compare/",
             "/treaties/arms-trade-treaty/drafts/2013-04-02-final-text-adopted-2-april-2013/"]
    for page in pages:
        versions = {"en": base + page, **{code: f"{base}/{code}{page}" for code in LANGUAGES[1:]}}
        for code in LANGUAGES:
            assert found.get(versions[code]) == {**versions, "x-default": versions["en"]}, \
                (page, code)
    assert len(found) % len(LANGUAGES) == 0


def test_drafts_and_private_pages_stay_out(client, settings):
    from clamour.blog.models import Post
    from clamour.campaigns.models import Campaign
    from clamour.treaties.models import Treaty

    make_campaign("secret", status=Campaign.Status.DRAFT)
    make_post("draft", status=Post.Status.DRAFT)
    load_treaty_demo()
    Treaty.objects.update(is_public=False)
    listed = " ".join(entries(client))
    for hidden in ("/campaigns/secret/", "/blog/draft/", "/treaties/arms-trade-treaty/"):
        assert hidden not in listed, hidden
