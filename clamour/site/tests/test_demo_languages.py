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


def test_the_demo_trackers_asks_and_rationales_are_in_every_language(client):
    from clamour.treaties.models import Ask, Treaty, Verdict

    load_demo()
    load_demo()  # safe to run again
    assert Treaty.objects.get(slug="arms-trade-treaty").missing_languages() == []
    for code, title in (("fr", "Le Traité sur le commerce des armes"),
                        ("es", "El Tratado sobre el Comercio de Armas"),
                        ("ar", "معاهدة تجارة الأسلحة")):
        page = client.get(f"/{code}/treaties/arms-trade-treaty/").content.decode()
        assert f'<h1 dir="auto" lang="{code}">{title}</h1>' in page
    asks = list(Ask.objects.filter(treaty__slug="arms-trade-treaty"))
    assert len(asks) == 5 and all(ask.missing_languages() == [] for ask in asks)
    verdicts = Verdict.objects.filter(ask__treaty__slug="arms-trade-treaty")
    assert all(set(v.texts) == {"fr", "es", "ar"} for v in verdicts)
    for code, ask, rationale in (
            ("fr", "Toutes les munitions soumises aux mêmes critères d&#x27;exportation",
             "l&#x27;importation, le transit et le courtage de munitions restent hors du traité"),
            ("es", "Todas las municiones sujetas a los mismos criterios de exportación",
             "siguen fuera del tratado"),
            ("ar", "إخضاع جميع الذخائر لمعايير التصدير نفسها", "لا تزال خارج نطاق المعاهدة")):
        page = client.get(f"/{code}/treaties/arms-trade-treaty/drafts/"
                          f"{verdicts.order_by('-draft__date')[0].draft.slug}/").content.decode()
        assert ask in page and rationale in page
        asks = page.split('id="asks-title"', 1)[1].split("</section>", 1)[0]
        assert 'lang="en"' not in asks and f'lang="{code}"' in asks
