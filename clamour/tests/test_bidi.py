"""Text that may run in the other direction is isolated on right-to-left pages: a
campaign shown in its own language on the Arabic home page, English blog posts in the
lists, staff's English verdict
rationales, notes and ask titles on the Arabic treaty pages. And the home page names
each action in the language its card is shown in."""

import re

import pytest

from clamour.actions.models import Action
from clamour.campaigns.models import Campaign
from clamour.testing.blog import make_post
from clamour.testing.factories import make_campaign
from clamour.treaties.demo import load_treaty_demo
from clamour.treaties.models import Ask, Verdict

pytestmark = pytest.mark.django_db

BREAKDOWN = "/ar/treaties/arms-trade-treaty/drafts/2013-04-02-final-text-adopted-2-april-2013/"


def test_the_arabic_home_page_marks_english_campaigns_and_names_actions_in_arabic(client):
    english = make_campaign("english-only")
    arabic = make_campaign("in-arabic")
    Campaign.objects.filter(pk=arabic.pk).update(texts={"ar": {
        "title": "معاهدة قوية", "summary": "اكتبوا الآن.", "story": "القصة."}})
    Action.objects.filter(pk=arabic.action.pk).update(texts={"ar": {
        "title": "اكتب إلى حكومتك", "intro": "", "letter_subject": "معاهدة قوية",
        "letter_template": "أرجو دعم معاهدة قوية.", "consent_wording": "نعم، أبقوني على اطلاع."}})
    page = client.get("/ar/").content.decode()
    assert f'<h2 dir="auto" lang="en"><a href="/ar/campaigns/{english.slug}/">Campaign english-only' in page
    assert '<p dir="auto" lang="en">A strong treaty, now.</p>' in page
    assert f'<h2 dir="auto" lang="ar"><a href="/ar/campaigns/{arabic.slug}/">معاهدة قوية' in page
    buttons = re.findall(r'class="button" href="[^"]+#act"><bdi>(.*?)</bdi>', page)
    assert sorted(buttons) == sorted(["Write to your government", "اكتب إلى حكومتك"])


def test_english_rationales_notes_and_asks_are_isolated_on_arabic_treaty_pages(client):
    load_treaty_demo()
    # Staff's texts as first written, before any translation: in English.
    Ask.objects.update(texts={})
    Verdict.objects.update(texts={})
    breakdown = client.get(BREAKDOWN).content.decode()
    assert '<p lang="en" dir="auto">Unchanged: an overriding risk means no export.</p>' in breakdown
    assert '<h3><span lang="en" dir="auto">A binding human-rights test</span>' in breakdown
    country = client.get("/ar/treaties/arms-trade-treaty/positions/FR/").content.decode()
    assert '<span class="small" dir="auto">Illustrative position for the demo.</span>' in country
    assert '<th scope="row" lang="en" dir="auto">A binding human-rights test</th>' in country


def test_english_posts_read_left_to_right_in_the_arabic_lists(client):
    campaign = make_campaign("att")
    make_post("news", campaign=campaign, title="Why ammunition matters")
    listing = client.get("/ar/blog/").content.decode()
    assert '<h2 dir="auto" lang="en"><a href="/ar/blog/news/">Why ammunition matters</a></h2>' in listing
    assert re.search(r'<p dir="auto" lang="en">[^<]+</p>', listing)
    on_campaign = client.get("/ar/campaigns/att/").content.decode()
    assert 'lang="en" dir="auto">Why ammunition matters</a>' in on_campaign
