"""The positions map is a named group of named country links, not an image that hides
focusable links; wide tables scroll in a box of their own that the keyboard can reach."""

import re

import pytest
from django.urls import reverse

from clamour.treaties.demo import load_treaty_demo

pytestmark = pytest.mark.django_db


def test_map_links_are_named_and_not_inside_an_image(client):
    load_treaty_demo()
    html = client.get(reverse("treaties:positions", args=["arms-trade-treaty"])).content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' not in svg and 'role="group"' in svg and 'aria-labelledby="map-title"' in svg
    links = re.findall(r"<a [^>]*>", html[html.index("<svg"):html.index("</svg>")])
    assert len(links) >= 10
    assert all(re.search(r'aria-label="[^":]+: [^"]+"', link) for link in links), links
    # Shapes without a position are not read out one by one.
    assert 'class="pos-none" aria-hidden="true"' in html
    assert 'class="table-scroll" role="region" tabindex="0" aria-labelledby="positions-caption"' in html
    assert 'id="positions-caption"' in html


def test_country_table_scrolls_in_its_own_box(client):
    load_treaty_demo()
    html = client.get(reverse("treaties:country", args=["arms-trade-treaty", "FR"])).content.decode()
    box = html.index('class="table-scroll" role="region" tabindex="0"')
    assert box < html.index("<table")
