"""The compare form starts on a pair worth comparing: the previous published draft
against the latest one, never the same draft twice."""

import re
from datetime import date

import pytest
from django.urls import reverse

from clamour.testing.treaties import MARCH, add_draft, make_treaty, three_drafts

pytestmark = pytest.mark.django_db


def chosen(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL).group(0)
    return re.findall(r'<option value="([^"]+)"[^>]*selected', select)


def test_compare_starts_on_the_previous_and_latest_published_drafts(client, analyst_client):
    treaty = make_treaty()
    _july, march, final = three_drafts(treaty, published=True)
    url = reverse("treaties:compare", args=[treaty.slug])
    for html in [client.get(url).content.decode(),
                 client.get(final.get_absolute_url()).content.decode()]:
        assert chosen(html, "old") == [march.slug] and chosen(html, "new") == [final.slug]
    # What the browser sends for the defaults is a comparison, not "choose two drafts".
    page = client.get(url, {"old": march.slug, "new": final.slug})
    assert page.status_code == 200 and "Choose two different drafts" not in page.content.decode()

    # Staff also see unpublished drafts in the lists; the defaults stay on published ones.
    add_draft(treaty, MARCH, "Unpublished", date(2013, 6, 1))
    html = analyst_client.get(url).content.decode()
    assert chosen(html, "old") == [march.slug] and chosen(html, "new") == [final.slug]


def test_compare_errors_are_in_plain_words(client):
    treaty = make_treaty()
    july, _march, _final = three_drafts(treaty, published=True)
    url = reverse("treaties:compare", args=[treaty.slug])
    html = client.get(url, {"old": july.slug, "new": "no-such-draft"}).content.decode()
    assert "Please choose one of the options in the list." in html
    assert "Select a valid choice" not in html
    html = client.get(url, {"old": july.slug}).content.decode()
    assert "Please choose a draft to compare it with." in html
    assert 'id="id_new_error"' in html
