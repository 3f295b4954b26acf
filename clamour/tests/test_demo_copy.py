"""The demo's words agree with its figures: no headline promising hours when days are
left, no "thousands of you" above a counter that says a handful."""

import re

import pytest
from django.utils import timezone

from clamour.actions.models import Submission
from clamour.blog.models import Post
from clamour.campaigns.models import Campaign
from clamour.site.demo import load_demo

pytestmark = pytest.mark.django_db

# "24 hours to stop…", "hours left", "before tomorrow" (not "1 hour ago").
SOON = re.compile(r"\b(\d+ hours? (?:to|left)|hours (?:to go|left)|tomorrow|tonight)\b",
                  re.IGNORECASE)
# The same promise in the demo's other languages ("24 heures", "24 horas", "24 ساعة").
SOON_TRANSLATED = re.compile(r"\d+\s+(?:heures?|horas?|ساعة)", re.IGNORECASE)
HOW_MANY = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+(?:of you|supporters|people)\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_demo_copy_agrees_with_the_demo_figures(client):
    load_demo()
    for campaign in Campaign.objects.select_related("action"):
        action = campaign.action
        count = Submission.objects.filter(action=action,
                                          status=Submission.Status.CONFIRMED).count()
        pages = [campaign.get_absolute_url()]
        pages += [f"/{code}{campaign.get_absolute_url()}" for code in ("fr", "es", "ar")]
        pages += [post.get_absolute_url() for post in Post.objects.published()
                  if post.campaign_id == campaign.pk]
        for url in pages:
            text = visible_text(client.get(url).content.decode())
            if action.deadline and action.deadline - timezone.now() > timezone.timedelta(days=1):
                assert not SOON.search(text), (url, SOON.search(text).group(0))
                assert not SOON_TRANSLATED.search(text), (url, SOON_TRANSLATED.search(text).group(0))
            for figure in HOW_MANY.findall(text):
                assert int(figure.replace(",", "")) <= count, (url, figure, count)
