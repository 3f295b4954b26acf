"""The demo campaign is complete in every language: no page of it falls back."""

import pytest

from clamour.campaigns.models import Campaign
from clamour.site.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_and_its_letter_are_in_every_language(client):
    load_demo()
    load_demo()  # safe to run again
    att = Campaign.objects.select_related("action").get(slug="arms-trade-treaty")
    assert att.missing_languages() == []
    assert att.action.missing_languages(att.language) == []
    for code, headline, button in (
            ("fr", "Quelques jours pour combler les failles", "Envoyer ma lettre"),
            ("es", "Quedan días para cerrar las lagunas", "Enviar mi carta"),
            ("ar", "أيام معدودة لسدّ ثغرات تجارة الأسلحة", "أرسل رسالتي")):
        page = client.get(f"/{code}/campaigns/arms-trade-treaty/").content.decode()
        assert headline in page and button in page
        assert f'lang="{code}">' in page and 'lang="en">' not in page


def test_the_demo_letter_to_france_starts_in_french(client):
    load_demo()
    page = client.get("/campaigns/arms-trade-treaty/?country=FR").content.decode()
    assert "Je vous écris pour vous demander de tenir bon" in page
    page = client.get("/campaigns/arms-trade-treaty/?country=MX").content.decode()
    assert "Le escribo para pedirle" in page
