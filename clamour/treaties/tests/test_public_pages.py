"""Public pages: the treaty with its scoreboard, the breakdown of each published draft,
comparing two drafts; their query counts stay flat as drafts and asks pile up."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clamour.testing.factories import make_campaign
from clamour.testing.treaties import (
    FINAL,
    JULY,
    MARCH,
    SMALL_NEW,
    SMALL_OLD,
    add_draft,
    make_treaty,
    three_drafts,
)
from clamour.treaties.demo import load_treaty_demo
from clamour.treaties.forms import TreatyForm
from clamour.treaties.models import Ask, AskAttachment, Comparison, Draft, Verdict

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def grow(treaty, asks, drafts):
    """Add asks (attached, with verdicts) and published drafts."""
    start = treaty.drafts.count()
    for i in range(asks):
        Ask.objects.create(treaty=treaty, title=f"Ask {i}", order=10 + i)
    for i in range(drafts):
        text = SMALL_OLD if (start + i) % 2 == 0 else SMALL_NEW
        draft = add_draft(
            treaty, text, f"Draft {start + i}", date(2014, 1, 1 + start + i), published=True
        )
        for ask in treaty.asks.all():
            AskAttachment.objects.get_or_create(
                ask=ask, lineage=draft.provisions.get(pid="3").lineage
            )
            Verdict.objects.update_or_create(
                ask=ask,
                draft=draft,
                defaults={"status": "partly", "rationale": "r", "origin": "analyst"},
            )


def test_treaty_page_query_count_is_flat(client):
    treaty = make_treaty(campaign=make_campaign("att-campaign"))
    grow(treaty, asks=2, drafts=2)
    small, _ = queries(client, treaty.get_absolute_url())
    grow(treaty, asks=6, drafts=6)
    large, response = queries(client, treaty.get_absolute_url())
    print(f"\ntreaty page: {small} queries with 2 drafts x 2 asks, {large} with 8 drafts x 8 asks")
    assert large == small <= 5
    assert response.content.decode().count('class="verdict verdict-partly"') == 2 * 2 + 6 * 8


def test_breakdown_page_query_count_is_flat(client):
    treaty = make_treaty(campaign=make_campaign("att-campaign"))
    grow(treaty, asks=2, drafts=2)
    latest = treaty.drafts.order_by("-date").first()
    small, _ = queries(client, latest.get_absolute_url())
    grow(treaty, asks=6, drafts=6)
    latest = treaty.drafts.order_by("-date").first()
    large, _ = queries(client, latest.get_absolute_url())
    print(f"breakdown page: {small} queries with 2 drafts x 2 asks, {large} with 8 drafts x 8 asks")
    assert large == small <= 10


def test_breakdown_of_the_real_treaty_query_count(client):
    treaty = make_treaty(campaign=make_campaign("att-campaign"))
    july, march, final = three_drafts(treaty, published=True)
    for title in (
        "All ammunition",
        "Human rights",
        "Defence cooperation",
        "Gender-based violence",
        "Small arms",
    ):
        ask = Ask.objects.create(treaty=treaty, title=title)
        AskAttachment.objects.create(ask=ask, lineage=march.provisions.get(pid="7.3").lineage)
        Verdict.objects.create(ask=ask, draft=march, status="met", rationale="Fine.")
    count, response = queries(client, march.get_absolute_url())
    print(f"breakdown of the ATT (105 provisions): {count} queries")
    assert count <= 10
    html = response.content.decode()
    # What changed since July, navigable by article, with the redline of each change.
    assert "What changed since July 2012" in html
    assert '<a href="#art-7">Article 7 — Export and Export Assessment</a>' in html
    assert 'id="art-7"' in html and 'id="art-26"' in html and 'id="preamble"' in html
    assert "moved from Article 5(2) and reworded" in html
    assert "merged from" in html and "Article 13(1) + Article 13(2)" in html
    assert "<del>consider whether to</del>" in html and "<ins>not</ins>" in html
    assert "Renumbered, words unchanged:" in html and '5.3 <span class="flip-rtl">→</span> 5.2' in html
    assert "Concerns our ask:" in html
    assert html.count("Met</span>") >= 5
    # Nothing is re-aligned for a page view: the stored comparison is read.
    before = Comparison.objects.get(old_draft=july, new_draft=march).computed_at
    client.get(march.get_absolute_url())
    assert Comparison.objects.get(old_draft=july, new_draft=march).computed_at == before


def test_treaty_page_scoreboard_and_loopholes(client):
    treaty = make_treaty(campaign=make_campaign("arms-trade-treaty"))
    july, march, final = three_drafts(treaty, published=True)
    unpublished = add_draft(treaty, FINAL, "Secret next draft", date(2013, 5, 1))
    ammunition = Ask.objects.create(treaty=treaty, title="All ammunition", order=1)
    rights = Ask.objects.create(treaty=treaty, title="Human rights", order=2)
    Verdict.objects.create(ask=ammunition, draft=final, status="partly")
    Verdict.objects.create(ask=rights, draft=final, status="met")
    Verdict.objects.create(ask=rights, draft=july, status="not_met")
    html = client.get(treaty.get_absolute_url()).content.decode()
    assert "1 loophole remains" in html
    assert "Secret next draft" not in html and unpublished.slug not in html
    table = html[html.index('<table class="scoreboard">') :]
    assert table.index("July 2012") < table.index("March 2013") < table.index("Final")
    assert 'href="/campaigns/arms-trade-treaty/#act"' in html
    assert "Not assessed" in html and "Partly met" in html and "Not met" in html
    Verdict.objects.filter(ask=ammunition, draft=final).update(status="met")
    assert "No loopholes remain" in client.get(treaty.get_absolute_url()).content.decode()


def test_compare_any_two_published_drafts(client):
    treaty = make_treaty()
    july, march, final = three_drafts(treaty, published=True)
    url = reverse("treaties:compare", args=[treaty.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Compare two drafts" in page.content.decode()
    page = client.get(url, {"old": july.slug, "new": final.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "From July 2012 to Final" in html
        and "moved from Article 5(2)" in html
        and "Article 7(4)" in html
    )
    # Later → earlier works too (what a rollback would look like).
    assert client.get(url, {"old": final.slug, "new": july.slug}).status_code == 200
    assert client.get(url, {"old": july.slug, "new": july.slug}).status_code == 400
    assert client.get(url, {"old": july.slug, "new": "no-such-draft"}).status_code == 400
    hidden = add_draft(treaty, MARCH, "Unpublished", date(2013, 6, 1))
    assert client.get(url, {"old": july.slug, "new": hidden.slug}).status_code == 400


def test_first_and_missing_drafts(client):
    treaty = make_treaty()
    july = add_draft(treaty, JULY, "July 2012", date(2012, 7, 26), published=True)
    page = client.get(july.get_absolute_url())
    assert page.status_code == 200 and "This is the first draft we have" in page.content.decode()
    assert client.get(reverse("treaties:breakdown", args=[treaty.slug, "nope"])).status_code == 404
    assert client.get(reverse("treaties:treaty", args=["nope"])).status_code == 404
    assert client.get(reverse("treaties:index")).status_code == 200


def test_staff_preview_an_unpublished_breakdown(analyst_client):
    treaty = make_treaty()
    add_draft(treaty, JULY, "July 2012", date(2012, 7, 26), published=True)
    march = add_draft(treaty, MARCH, "March 2013", date(2013, 3, 27))
    page = analyst_client.get(march.get_absolute_url())
    assert (
        page.status_code == 200
        and "not published: only staff can see this" in page.content.decode()
    )


def test_reserved_treaty_addresses_are_refused():
    form = TreatyForm({"title": "x", "slug": "staff", "description": "", "is_public": True})
    assert not form.is_valid() and "used by the tracker" in form.errors["slug"][0]


def test_analyst_creates_a_treaty(analyst_client):
    response = analyst_client.post(
        reverse("treaties:staff_index"),
        {"title": "Plastics treaty", "slug": "plastics", "description": "", "is_public": ""},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "treaties:staff_upload", args=["plastics"]
    )
    response = analyst_client.post(
        reverse("treaties:staff_treaty_edit", args=["plastics"]),
        {
            "title": "Plastics treaty",
            "slug": "plastics",
            "description": "Now public.",
            "is_public": "on",
        },
    )
    assert response.status_code == 302


def test_demo_loads_once_and_shows_a_living_tracker(client):
    make_campaign("arms-trade-treaty")
    assert load_treaty_demo() == {"treaty drafts": 3}
    assert load_treaty_demo() == {"treaty drafts": 0}
    treaty = Draft.objects.first().treaty
    html = client.get(treaty.get_absolute_url()).content.decode()
    assert (
        "2 loopholes remain" in html and "(illustrative)" in html and "illustrative" in html.lower()
    )
    assert 'href="/campaigns/arms-trade-treaty/#act"' in html
    final = treaty.drafts.order_by("-date").first()
    html = client.get(final.get_absolute_url()).content.decode()
    assert "Article 26(2)" in html and "Article 7(4)" in html and "Article 12(4)" in html
    html = client.get(reverse("treaties:positions", args=[treaty.slug])).content.decode()
    assert html.count('<tr><th scope="row">') >= 12
    feed = client.get(reverse("treaties:feed")).content.decode()
    assert feed.count("<entry>") == 3
