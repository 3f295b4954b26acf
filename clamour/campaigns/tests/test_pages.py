import gzip
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clamour.actions.models import Action, Submission
from clamour.campaigns.models import Campaign
from clamour.core.templatetags.clamour import time_left
from clamour.supporters.models import Supporter
from clamour.testing.auth import log_in_staff
from clamour.testing.factories import add_target, add_update, make_campaign

pytestmark = pytest.mark.django_db


def confirmed_submissions(campaign, n):
    for i in range(n):
        supporter = Supporter.objects.create(email=f"s{i}@example.net", name=f"S{i}")
        Submission.objects.create(action=campaign.action, supporter=supporter, name="S",
                                  email=supporter.email, country="GB",
                                  consent_wording="w", status=Submission.Status.CONFIRMED)


def test_home_lists_live_campaigns_only(client):
    make_campaign("live-one")
    make_campaign("secret", status=Campaign.Status.DRAFT)
    page = client.get("/")
    assert b"Campaign live-one" in page.content
    assert b"Campaign secret" not in page.content


def test_draft_is_hidden_from_the_public_and_shown_to_staff(client, campaigner, outsider):
    campaign = make_campaign("secret", status=Campaign.Status.DRAFT)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    log_in_staff(client, campaigner)
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200 and b"only staff can see" in page.content


def test_campaign_page_has_everything_on_one_page(client):
    campaign = make_campaign()
    add_target(campaign)
    add_update(campaign, days_ago=3, title="Older news")
    add_update(campaign, days_ago=1, title="Newest news")
    add_update(campaign, days_ago=-1, title="Scheduled news")
    confirmed_submissions(campaign, 3)
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert '<h1 dir="auto" lang="en">Campaign att</h1>' in html
    assert "<strong>story</strong>" in html
    assert html.index("Newest news") < html.index("Older news")
    assert "Scheduled news" not in html
    assert "letters sent" in html and ">3<" in html
    assert "days to go" in html
    assert 'name="email"' in html and "Send my letter" in html
    assert "Alex Example" in html  # the fixed target is shown


def test_story_markdown_is_sanitised(client):
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(
        story='Hi <script>alert("x")</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))')
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html


def test_story_updates_and_action_texts_load_images_only_from_allowed_hosts(client, settings):
    settings.BLOG_IMAGE_HOSTS = ["media.example.org"]
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(
        story="![pixel](https://tracker.example.com/story.gif) "
        '<img src="/&#9;/other-host/tab.png" alt="tab"> '
        '<img src="/&#10;/other-host/newline.png" alt="newline"> '
        "![ours](https://media.example.org/ok.jpg) ![here](/static/ok.png)"
    )
    Action.objects.filter(campaign=campaign).update(
        intro="![intro](https://tracker.example.com/intro.gif)"
    )
    add_update(campaign, body="![update](https://tracker.example.com/update.gif)")
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "tracker.example.com" not in html and "other-host" not in html
    assert 'alt="pixel"' in html and 'alt="update"' in html and 'alt="tab"' in html
    assert 'src="https://media.example.org/ok.jpg"' in html and 'src="/static/ok.png"' in html


def test_campaign_page_query_count(client, django_assert_max_num_queries):
    campaign = make_campaign()
    add_target(campaign)
    add_update(campaign)
    client.cookies["sessionid"] = "none"  # a visitor with a session gets a fresh page
    client.get(campaign.get_absolute_url())  # warm the count cache
    # session lookup, campaign+action, targets, updates.
    with django_assert_max_num_queries(4):
        assert client.get(campaign.get_absolute_url()).status_code == 200


def test_count_json(client, settings):
    campaign = make_campaign()
    confirmed_submissions(campaign, 2)
    response = client.get(reverse("campaigns:count", args=[campaign.slug]))
    data = response.json()
    assert data["count"] == 2 and data["goal"] == 100 and data["closed"] is False
    assert data["deadline"] == campaign.action.deadline.isoformat()
    assert f"max-age={settings.COUNT_INTERVAL}" in response["Cache-Control"]


def test_campaign_page_and_count_say_public_plainly(client, settings):
    campaign = make_campaign()
    expected = (f"public, max-age={settings.COUNT_INTERVAL}, "
                f"stale-while-revalidate={settings.COUNT_INTERVAL * 15}, stale-if-error=86400")
    for _ in range(2):  # built, then from the page cache
        assert client.get(campaign.get_absolute_url())["Cache-Control"] == expected
        assert client.get(reverse("campaigns:count", args=[campaign.slug]))["Cache-Control"] \
            == expected


def test_count_is_computed_in_batches_not_per_request(client):
    campaign = make_campaign()
    url = reverse("campaigns:count", args=[campaign.slug])
    assert client.get(url).json()["count"] == 0
    confirmed_submissions(campaign, 2)
    # Within the interval the cached figure is served...
    assert client.get(url).json()["count"] == 0
    # ...and once it lapses the next request recounts.
    from django.core.cache import cache
    cache.clear()
    assert client.get(url).json()["count"] == 2


def test_count_json_is_served_from_the_cache(client, django_assert_num_queries):
    campaign = make_campaign()
    url = reverse("campaigns:count", args=[campaign.slug])
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.json()["count"] == 0
    assert "stale-while-revalidate" in response["Cache-Control"]
    assert "stale-if-error" in response["Cache-Control"]


def test_count_json_errors_are_json(client):
    response = client.get("/campaigns/nope/count.json")
    assert response.status_code == 404 and response.json()["error"]
    draft = make_campaign("draft", status=Campaign.Status.DRAFT)
    assert client.get(reverse("campaigns:count", args=[draft.slug])).status_code == 404


def test_anonymous_campaign_page_is_served_from_the_cache(client, django_assert_num_queries):
    campaign = make_campaign()
    add_target(campaign)
    first = client.get(campaign.get_absolute_url() + "?ref=abc")
    assert 'name="ref" value="abc"' in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(campaign.get_absolute_url() + "?ref=xyz")
    html = again.content.decode()
    assert 'name="ref" value="xyz"' in html  # per-request values are put back in
    assert "__clamour" not in html
    # The same bytes for every visitor: no per-visitor token, no cookie set.
    assert "csrftoken" not in again.cookies and "csrfmiddlewaretoken" not in html
    assert client.get(campaign.get_absolute_url()).content == \
        client.get(campaign.get_absolute_url()).content
    assert 'name="ref" value=""' in client.get(campaign.get_absolute_url()).content.decode()
    assert "max-age=2" in again["Cache-Control"] and "stale-while-revalidate" in again["Cache-Control"]
    # The cached page's form works from a browser on this site, with CSRF checks on.
    from django.test import Client
    strict = Client(enforce_csrf_checks=True)
    from clamour.testing.factories import letter_post
    response = strict.post(reverse("actions:submit", args=[campaign.slug]), letter_post(campaign),
                           HTTP_SEC_FETCH_SITE="same-origin", HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302


def test_cached_page_is_gzipped_for_browsers_that_accept_it(client, settings):
    campaign = make_campaign()
    add_target(campaign)
    url = campaign.get_absolute_url()
    plain = client.get(url)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert "Cookie" in plain["Vary"]
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    # With a referral code put in: the fixed parts compressed once, the code per request.
    for ref in ("abc", "a-b_c"):
        zipped = client.get(url + f"?ref={ref}", HTTP_ACCEPT_ENCODING="gzip")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == client.get(url + f"?ref={ref}").content
        assert f'name="ref" value="{ref}"'.encode() in gzip.decompress(zipped.content)
    # Visitors with a session get a fresh, uncompressed page, as before.
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session"
    fresh = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in fresh and b"<form" in fresh.content


def test_hostile_referral_code_is_dropped(client):
    campaign = make_campaign()
    add_target(campaign)
    html = client.get(campaign.get_absolute_url() + '?ref="><script>x</script>').content.decode()
    assert "<script>x" not in html and 'name="ref" value=""' in html


def test_count_json_says_closed_after_deadline(client):
    campaign = make_campaign(deadline_in=timedelta(hours=-1))
    assert client.get(reverse("campaigns:count", args=[campaign.slug])).json()["closed"] is True


def test_unconfirmed_submissions_do_not_count(client):
    campaign = make_campaign()
    supporter = Supporter.objects.create(email="p@example.net", name="P")
    Submission.objects.create(action=campaign.action, supporter=supporter, name="P",
                              email=supporter.email, country="GB", consent_wording="w")
    assert client.get(reverse("campaigns:count", args=[campaign.slug])).json()["count"] == 0


def test_unknown_campaign_is_404(client):
    assert client.get("/campaigns/nope/").status_code == 404
    assert client.get("/campaigns/nope/count.json").status_code == 404


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, *args, **kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize("delta,expected", [
    (timedelta(days=3, hours=2), "3 days to go"),
    (timedelta(hours=23, minutes=59), "23 hours to go"),
    (timedelta(hours=1), "1 hour to go"),
    (timedelta(minutes=5), "5 minutes to go"),
    (timedelta(seconds=20), "1 minute to go"),
    (timedelta(seconds=-5), ""),
])
def test_time_left(delta, expected):
    now = timezone.now()
    assert time_left(now + delta, now=now) == expected


def test_mastodon_share_goes_to_the_persons_own_server(client):
    response = client.get("/share/mastodon/", {"text": "Join me", "instance": "@me@social.example"})
    # A page naming the server, with a link the person chooses to follow: never a
    # redirect, since anyone can make a link here naming any server.
    assert response.status_code == 200 and "Location" not in response
    html = response.content.decode()
    assert "<strong>social.example</strong>" in html
    assert 'id="go-to-server" href="https://social.example/share?text=Join+me"' in html
    evil = client.get("/share/mastodon/", {"text": "x", "instance": "evil.example"})
    assert evil.status_code == 200 and "Location" not in evil
    assert "<strong>evil.example</strong>" in evil.content.decode()
    assert 'name="instance" value="evil.example"' in evil.content.decode()  # can type another
    bad = client.get("/share/mastodon/", {"text": "x", "instance": "javascript:alert(1)"})
    assert bad.status_code == 400 and b"doesn" in bad.content


def test_letter_action_country_targets_are_in_the_page(client):
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY)
    add_target(campaign, country="FR", name="Camille", title="Minister")
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert '"FR": [{"name": "Camille", "title": "Minister", "language": "", "country": "France"}]' in html


def test_robots_txt(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /confirm/" in response.content.decode()
    assert "Sitemap: " in response.content.decode()


def test_country_in_the_link_is_preselected(client):
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY)
    add_target(campaign, country="FR", name="Camille")
    html = client.get(campaign.get_absolute_url() + "?country=fr").content.decode()
    assert '<option value="FR" selected>' in html
    html = client.get(campaign.get_absolute_url() + "?country=ZZ").content.decode()
    options = html.split('id="id_country"')[1].split("</select>")[0]
    assert options.count(" selected>") == 1 and '<option value="" selected>' in options


def published_comments(campaign, *bodies):
    from clamour.comments.models import Comment
    from clamour.comments.posting import post_comment

    for n, body in enumerate(bodies):
        supporter = Supporter.objects.create(email=f"c{n}@example.net", name=f"C{n}")
        comment = post_comment(campaign, supporter=supporter, name=f"C{n}", body=body)
        Comment.objects.filter(pk=comment.pk).update(
            status=Comment.Status.PUBLISHED,
            created_at=timezone.now() - timedelta(hours=len(bodies) - n),
            published_at=timezone.now(),
        )


def test_a_country_or_comment_order_in_the_link_is_served_from_the_cache(
    client, django_assert_num_queries
):
    campaign = make_campaign(targeting=Action.Targeting.COUNTRY)
    add_target(campaign, country="FR", name="Camille")
    published_comments(campaign, "The first word on this.", "The latest word on this.")
    url = campaign.get_absolute_url()
    for query, country, newest in [
        ("?country=FR", "FR", False),
        ("?country=fr&ref=abc", "FR", False),  # the same copy, the referral code put in
        ("?comments=newest", "", True),
        ("?comments=newest&country=KE", "KE", True),
    ]:
        client.get(url + query)
        with django_assert_num_queries(0):
            html = client.get(url + query).content.decode()
        assert f'<option value="{country}" selected>' in html, query
        assert html.count(" selected>") == 1
        first, latest = html.index("The first word"), html.index("The latest word")
        assert (latest < first) == newest, query
        assert ('name="ref" value="abc"' in html) == ("ref=abc" in query)


def test_query_strings_make_only_a_bounded_number_of_cached_copies(
    client, django_assert_num_queries
):
    from clamour.core.speed import localcache

    campaign = make_campaign()
    url = campaign.get_absolute_url()
    plain = client.get(url).content
    # Unknown countries, other comment orders, other parameters: all the plain page,
    # from its one cached copy.
    for query in ["?country=ZZ", "?country=<b>", "?comments=2", "?comments=oldest",
                  "?comments=" + "x" * 500]:
        with django_assert_num_queries(0):
            assert client.get(url + query).content == plain, query
    # Tracking tags are filled into the plain page's cached copy (a hidden field each).
    with django_assert_num_queries(0):
        tagged = client.get(url + "?utm_source=mastodon").content
    assert b'value="mastodon"' in tagged
    assert tagged.replace(b'value="mastodon"', b'value=""') == plain
    assert len(localcache.variants._data) == 0
    for code in ["FR", "DE", "fr", "Fr"]:
        client.get(url + f"?country={code}")
    assert len(localcache.variants._data) == 2
    # A logged-in visitor (a session cookie) still gets a page of their own.
    client.cookies["sessionid"] = "x"
    assert client.get(url + "?country=DE").status_code == 200
    assert len(localcache.variants._data) == 2
