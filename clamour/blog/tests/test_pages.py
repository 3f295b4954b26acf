import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clamour.blog.models import Post, PostImage
from clamour.blog.publishing import forget_cached_posts
from clamour.campaigns.models import Campaign
from clamour.testing.auth import log_in_staff
from clamour.testing.blog import add_post_update, make_author, make_post, make_volunteer
from clamour.testing.factories import make_campaign

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_latest_posts_newest_first_with_paging(client, settings):
    settings.BLOG_POSTS_PER_PAGE = 2
    for i in range(5):
        make_post(f"post-{i}", days_ago=i + 1)
    make_post("draft", status=Post.Status.DRAFT)
    make_post("waiting", status=Post.Status.SUBMITTED)
    make_post("scheduled", days_ago=-2)
    html = client.get("/blog/").content.decode()
    assert html.index("Post post-0") < html.index("Post post-1")
    assert "Post post-2" not in html and "Page 1 of 3" in html and 'rel="next"' in html
    page3 = client.get("/blog/?page=3").content.decode()
    assert "Post post-4" in page3 and 'rel="prev"' in page3
    everything = "".join(client.get(f"/blog/?page={n}").content.decode() for n in (1, 2, 3))
    for hidden in ("Post draft", "Post waiting", "Post scheduled"):
        assert hidden not in everything
    assert client.get("/blog/?page=999").status_code == 200  # the last page, not an error
    assert client.get("/blog/?page=x").status_code == 200


def test_post_page_has_everything(client, settings):
    campaign = make_campaign("att")
    post = make_post(
        "news",
        campaign=campaign,
        tags=["Arms trade", "UN"],
        body="Intro with <script>alert(1)</script> and ![march](/blog/images/1/)"
        " ![pixel](https://tracker.example.com/p.gif)"
        ' <img src="/&#9;/other-host/p.png" alt="tab">',
    )
    add_post_update(post, days_ago=2, title="Older update")
    add_post_update(post, days_ago=0, title="Newest update")
    add_post_update(post, days_ago=-1, title="Scheduled update")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<h1 dir="auto" lang="en">Post news</h1>' in html
    assert html.index("Newest update") < html.index("Older update") < html.index("Intro with")
    assert "Scheduled update" not in html
    assert "<script>alert" not in html and "tracker.example.com" not in html
    assert "other-host" not in html and 'alt="tab"' in html
    assert 'src="/blog/images/1/"' in html
    # The campaign's action, with a button to it.
    assert (
        "Write to your government" in html and f'href="{campaign.get_absolute_url()}#act"' in html
    )
    assert "0 letters sent so far" in html
    # Authors, tags, disclaimer.
    assert 'href="/blog/authors/ann/"' in html and 'href="/blog/tags/arms-trade/"' in html
    assert "views in this post are the author&#x27;s own" in html or "author's own" in html
    # Sharing and search metadata, canonical address on SITE_URL.
    url = settings.SITE_URL + post.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Post news">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta property="article:tag" content="UN">' in html
    assert 'type="application/atom+xml"' in html


def test_disclaimer_is_configurable(client, settings):
    settings.BLOG_DISCLAIMER = "Guest posts do not speak for us."
    post = make_post()
    assert (
        "Guest posts do not speak for us." in client.get(post.get_absolute_url()).content.decode()
    )


def test_drafts_and_scheduled_posts_are_hidden_but_authors_and_editors_preview(
    client, django_user_model, campaigner, outsider
):
    volunteer = make_volunteer(django_user_model)
    draft = make_post("draft", status=Post.Status.DRAFT, author=volunteer.author)
    scheduled = make_post("later", days_ago=-1)
    for post in (draft, scheduled):
        assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    log_in_staff(client, volunteer)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and b"readers cannot see this post" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert b'name="robots" content="noindex"' in response.content
    assert client.get(scheduled.get_absolute_url()).status_code == 404  # not theirs
    log_in_staff(client, campaigner)
    assert b"Scheduled for" in client.get(scheduled.get_absolute_url()).content


def test_tag_and_author_pages(client):
    other = make_author("bo", name="Bo Writer")
    make_post("one", tags=["Loopholes"])
    make_post("two", author=other, tags=["Loopholes"])
    make_post("three", author=other)
    tag_html = client.get("/blog/tags/loopholes/").content.decode()
    assert "Post one" in tag_html and "Post two" in tag_html and "Post three" not in tag_html
    author_html = client.get("/blog/authors/bo/").content.decode()
    assert "<h1>Bo Writer</h1>" in author_html
    assert (
        "Post two" in author_html and "Post three" in author_html and "Post one" not in author_html
    )
    assert client.get("/blog/tags/nope/").status_code == 404
    assert client.get("/blog/authors/nope/").status_code == 404


def test_volunteer_posts_are_labelled(client, django_user_model):
    volunteer = make_volunteer(django_user_model)
    make_post("mine", author=volunteer.author)
    html = client.get("/blog/authors/volunteer/").content.decode()
    assert "Volunteer writer" in html and "volunteer</span>" in html


def test_atom_feed(client, settings):
    make_post("old", days_ago=3, tags=["UN"], body="See ![m](/blog/images/1/)")
    make_post("new", days_ago=1)
    make_post("draft", status=Post.Status.DRAFT)
    response = client.get("/blog/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Post new", "Post old"]
    assert entries[0].find(f"{ATOM}link").get("href") == settings.SITE_URL + "/blog/new/"
    assert entries[1].find(f"{ATOM}author/{ATOM}name").text == "Ann Author"
    assert entries[1].find(f"{ATOM}category").get("term") == "UN"
    content = entries[1].find(f"{ATOM}content").text
    assert f'src="{settings.SITE_URL}/blog/images/1/"' in content  # absolute for feed readers


def test_rss_feed(client):
    make_post("new")
    response = client.get("/blog/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find("item/title").text == "Post new"


def test_sitemap_lists_posts_campaigns_tags_and_authors(client, settings):
    make_campaign("live-one")
    make_campaign("secret", status=Campaign.Status.DRAFT)
    make_post("public", tags=["UN"])
    make_post("draft", status=Post.Status.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [
        loc.text
        for loc in ET.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    base = settings.SITE_URL
    for expected in [
        "/campaigns/live-one/",
        "/blog/public/",
        "/blog/",
        "/blog/tags/un/",
        "/blog/authors/ann/",
    ]:
        assert base + expected in locations
    assert base + "/campaigns/secret/" not in locations and base + "/blog/draft/" not in locations


def test_campaign_page_lists_its_posts(client):
    campaign = make_campaign("att")
    make_post("about-att", campaign=campaign, title="Why ammunition matters")
    make_post("other-post", title="Unrelated")
    client.cookies["sessionid"] = "none"
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "From the blog" in html and "Why ammunition matters" in html and "Unrelated" not in html
    # A new post shows once the blog cache is cleared (the admin does it on every save).
    make_post("second", campaign=campaign, title="Second post")
    forget_cached_posts()
    assert "Second post" in client.get(campaign.get_absolute_url()).content.decode()


def test_scheduled_campaign_post_appears_when_its_time_comes(client):
    from datetime import timedelta

    from django.utils import timezone

    from clamour.blog.publishing import campaign_posts

    campaign = make_campaign("att")
    make_post("later", campaign=campaign, days_ago=-1)
    assert campaign_posts(campaign.pk) == []
    assert [
        p["url"] for p in campaign_posts(campaign.pk, now=timezone.now() + timedelta(days=2))
    ] == ["/blog/later/"]


def test_anonymous_post_page_comes_from_the_page_cache(client, django_assert_num_queries):
    post = make_post()
    client.get(post.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200 and "__clamour" not in response.content.decode()
    assert 'id="comment-form"' in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()  # same page for all


def test_cached_post_page_says_public_plainly(client, settings):
    post = make_post()
    for _ in range(2):  # built, then from the page cache
        response = client.get(post.get_absolute_url())
        assert response["Cache-Control"] == (
            f"public, max-age={settings.COUNT_INTERVAL}, "
            f"stale-while-revalidate={settings.COUNT_INTERVAL * 15}, stale-if-error=86400")


def test_post_page_query_count(client, django_assert_max_num_queries):
    campaign = make_campaign("att")
    post = make_post(campaign=campaign, tags=["UN", "Arms"])
    add_post_update(post)
    client.cookies["sessionid"] = "none"  # a fresh render, not the page cache
    client.get(post.get_absolute_url())  # warm the comment-thread and count caches
    # session, post+campaign+action, authors, tags, updates, images.
    with django_assert_max_num_queries(6):
        assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", ["/blog/", "/blog/tags/un/", "/blog/authors/ann/"])
def test_list_page_query_counts_do_not_grow_with_posts(client, url, django_assert_max_num_queries):
    for i in range(12):
        make_post(f"p{i}", tags=["UN", f"T{i}"])
    # (tag or author), count, posts, authors, tags.
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_feed_query_count(client, django_assert_max_num_queries):
    for i in range(12):
        make_post(f"p{i}", tags=["UN"])
    with django_assert_max_num_queries(3):
        assert client.get("/blog/feed/").status_code == 200


def test_uploaded_image_is_served_only_when_the_post_is(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    public = make_post("public")
    draft = make_post("draft", status=Post.Status.DRAFT)
    image = PostImage.objects.create(
        post=public, file=SimpleUploadedFile("a.png", PNG), alt="A march", content_type="image/png"
    )
    hidden = PostImage.objects.create(
        post=draft, file=SimpleUploadedFile("b.png", PNG), alt="Secret", content_type="image/png"
    )
    response = client.get(reverse("blog:image", args=[image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert (
        "sandbox" in response["Content-Security-Policy"] and "public" in response["Cache-Control"]
    )
    assert client.get(reverse("blog:image", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("blog:image", args=[999])).status_code == 404


def test_first_image_is_the_sharing_card(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post = make_post()
    image = PostImage.objects.create(
        post=post, file=SimpleUploadedFile("a.png", PNG), alt="A march", content_type="image/png"
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert (
        f'<meta property="og:image" content="{settings.SITE_URL}/blog/images/{image.pk}/">' in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
