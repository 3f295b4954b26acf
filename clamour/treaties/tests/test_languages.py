"""The tracker's public texts in each language: asks and verdict rationales with the
English as the fallback (staff told), verdict and position names, country names from
CLDR in the page's language, and the subscriber's consent in the words shown."""

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clamour.supporters.models import Consent
from clamour.testing.treaties import SMALL_NEW, SMALL_OLD, add_draft, make_treaty
from clamour.treaties import tracker
from clamour.treaties.models import SUBSCRIBE_CONSENT_WORDING, Ask, Position, Verdict

pytestmark = pytest.mark.django_db

ASK_FR = {"title": "Toutes les munitions soumises aux mêmes critères",
          "description": "Sans munitions, les armes se taisent."}
RATIONALE_FR = "Les munitions ne sont couvertes que par l'article 3."


def in_language(code, draft):
    return f"/{code}/treaties/{draft.treaty.slug}/drafts/{draft.slug}/"


def tracker_with_a_verdict():
    treaty = make_treaty()
    draft = add_draft(treaty, SMALL_OLD, "July", date(2012, 7, 26), published=True)
    ask = Ask.objects.create(treaty=treaty, title="All ammunition under the same criteria",
                             description="Without ammunition, arms fall silent.",
                             texts={"fr": ASK_FR})
    Verdict.objects.create(ask=ask, draft=draft, status="partly",
                           rationale="Ammunition is covered by Article 3 only.",
                           texts={"fr": {"rationale": RATIONALE_FR}})
    return treaty, draft, ask


def test_asks_and_rationales_are_read_in_the_pages_language(client):
    treaty, draft, _ask = tracker_with_a_verdict()
    french = client.get(f"/fr/treaties/{treaty.slug}/").content.decode()
    assert f'lang="fr" dir="auto">{ASK_FR["title"]}</th>' in french
    assert '<span class="verdict verdict-partly">Partiellement satisfaite</span>' in french
    breakdown = client.get(in_language("fr", draft)).content.decode()
    assert f'<p lang="fr" dir="auto">{RATIONALE_FR.replace(chr(39), "&#x27;")}</p>' in breakdown
    assert "Ammunition is covered" not in breakdown and 'class="notice"' not in breakdown
    # Arabic has no translation: the English texts, marked as English, and no notice.
    arabic = client.get(in_language("ar", draft)).content.decode()
    assert '<span lang="en" dir="auto">All ammunition under the same criteria</span>' in arabic
    assert '<p lang="en" dir="auto">Ammunition is covered by Article 3 only.</p>' in arabic
    assert '<span class="verdict verdict-partly">مُستوفى جزئيًا</span>' in arabic
    assert 'class="notice"' not in arabic


def test_staff_are_told_which_tracker_texts_are_not_translated(analyst_client):
    treaty, draft, _ask = tracker_with_a_verdict()
    arabic = analyst_client.get(in_language("ar", draft)).content.decode()
    assert "لم تُترجم إلى العربيّة بعد" in arabic
    assert "pas encore tradui" not in analyst_client.get(
        in_language("fr", draft)).content.decode()
    assert "لم تُترجم" in analyst_client.get(f"/ar/treaties/{treaty.slug}/").content.decode()


def test_analysts_translate_asks_and_rationales_where_they_write_them(analyst_client):
    treaty, draft, ask = tracker_with_a_verdict()
    # The ask, on the tracker's staff page (the admin uses the same form).
    page = analyst_client.get(reverse("treaties:staff_ask", args=[ask.pk])).content.decode()
    assert 'name="title_ar"' in page and 'name="title_en"' not in page
    response = analyst_client.post(reverse("treaties:staff_ask", args=[ask.pk]), {
        "title": ask.title, "description": ask.description, "order": 0,
        "title_fr": ASK_FR["title"], "description_fr": ASK_FR["description"],
        "title_ar": "كل الذخائر تحت المعايير نفسها", "description_ar": "",
    })
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.texts["ar"] == {"title": "كل الذخائر تحت المعايير نفسها", "description": ""}
    assert ask.missing_languages() == ["es", "ar"]  # Arabic lacks its explanation
    # The rationale, on the verdicts page; the next draft carries it over in every language.
    response = analyst_client.post(reverse("treaties:staff_verdicts", args=[draft.pk]), {
        f"status_{ask.pk}": "not_met", f"rationale_{ask.pk}": "Left out.",
        f"rationale_{ask.pk}_ar": "مُستبعدة.", f"rationale_{ask.pk}_es": "",
    })
    assert response.status_code == 302
    assert Verdict.objects.get(draft=draft).texts == {"ar": {"rationale": "مُستبعدة."}}
    march = add_draft(treaty, SMALL_NEW, "March", date(2013, 3, 27))
    tracker.suggest_verdicts(draft, march, tracker.comparison(draft, march))
    assert Verdict.objects.get(draft=march).texts == {"ar": {"rationale": "مُستبعدة."}}
    arabic = analyst_client.get(in_language("ar", draft)).content.decode()
    assert '<p lang="ar" dir="auto">مُستبعدة.</p>' in arabic


def test_asks_are_translated_in_the_admin_with_the_same_form(client, campaigner):
    from clamour.testing.auth import log_in_staff

    treaty, _draft, ask = tracker_with_a_verdict()
    log_in_staff(client, campaigner)
    url = reverse("admin:treaties_ask_change", args=[ask.pk])
    assert 'name="description_es"' in client.get(url).content.decode()
    response = client.post(url, {
        "title": ask.title, "description": ask.description, "order": 0,
        "title_fr": ASK_FR["title"], "description_fr": ASK_FR["description"],
        "title_es": "Todas las municiones con los mismos criterios",
        "description_es": "Sin municiones, las armas callan.",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    ask.refresh_from_db()
    assert ask.missing_languages() == ["ar"]
    spanish = client.get(f"/es/treaties/{treaty.slug}/").content.decode()
    assert "Todas las municiones con los mismos criterios" in spanish


def test_positions_and_countries_are_named_in_the_pages_language(client):
    treaty, _draft, ask = tracker_with_a_verdict()
    for code, stance in [("DE", "supports"), ("EG", "supports"), ("EC", "supports"),
                         ("FR", "opposes")]:
        Position.objects.create(ask=ask, country=code, stance=stance)
    french = client.get(f"/fr/treaties/{treaty.slug}/positions/").content.decode()
    assert ">Favorable</span>" in french and ">Opposé</span>" in french
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', french)
    assert names == ["France", "Allemagne", "Égypte", "Équateur"]  # by stance, then name
    country = client.get(f"/ar/treaties/{treaty.slug}/positions/EG/").content.decode()
    assert "<h1>مصر</h1>" in country and ">مؤيِّد</span>" in country
    assert "<h1>Egypt</h1>" in client.get(
        f"/treaties/{treaty.slug}/positions/EG/").content.decode()


def test_the_subscribers_consent_is_recorded_in_the_words_and_language_shown(
        client, run_tasks):
    treaty, _draft, _ask = tracker_with_a_verdict()
    with translation.override("ar"):
        arabic_words = str(SUBSCRIBE_CONSENT_WORDING)
    assert arabic_words != str(SUBSCRIBE_CONSENT_WORDING)  # translated
    page = client.get(f"/ar/treaties/{treaty.slug}/").content.decode()
    assert arabic_words in page  # the box ticked
    client.post(f"/ar/treaties/{treaty.slug}/subscribe/",
                {"email": "reader@example.net", "consent": "on"})
    run_tasks()
    link = re.search(r"http://\S+(/ar/treaties/subscriptions/confirm/\S+/)",
                     mail.outbox[0].body)[1]
    assert arabic_words in client.get(link).content.decode()  # the words agreed to
    client.post(link)
    assert Consent.objects.get().wording == arabic_words


TREATY_FR = {"title": "Le Traité sur le commerce des armes",
             "description": "Le suivi du traité, projet par projet."}


def test_the_treaty_is_named_and_introduced_in_the_pages_language(analyst_client):
    client = Client()  # a reader, not the analyst
    treaty, _draft, _ask = tracker_with_a_verdict()
    treaty.texts = {"fr": TREATY_FR}
    treaty.save()
    french = client.get(f"/fr/treaties/{treaty.slug}/").content.decode()
    assert f'<h1 dir="auto" lang="fr">{TREATY_FR["title"]}</h1>' in french
    assert 'lang="fr"><p>Le suivi du traité, projet par projet.</p>' in french
    assert "Tracking the ATT." not in french
    listing = client.get("/fr/treaties/").content.decode()
    assert f'lang="fr"><a href="/fr/treaties/{treaty.slug}/">{TREATY_FR["title"]}</a>' in listing
    # No Spanish: the English, marked as such; staff are told, the public is not.
    spanish = client.get(f"/es/treaties/{treaty.slug}/").content.decode()
    assert '<h1 dir="auto" lang="en">The Arms Trade Treaty</h1>' in spanish
    assert 'class="notice"' not in spanish
    Ask.objects.update(texts={"es": {"title": "Todas las municiones", "description": "Sin balas."}})
    Verdict.objects.update(texts={"es": {"rationale": "Solo el artículo 3."}})
    staff = analyst_client.get(f"/es/treaties/{treaty.slug}/").content.decode()
    assert "aún no están traducidos al" in staff  # only the treaty's own texts are missing


def test_treaty_texts_are_translated_on_the_staff_page_and_in_the_admin(analyst_client,
                                                                          campaigner):
    from clamour.testing.auth import log_in_staff

    treaty = make_treaty()
    fields = {"title": treaty.title, "slug": treaty.slug, "description": treaty.description,
              "is_public": "on", "campaign": ""}
    url = reverse("treaties:staff_treaty_edit", args=[treaty.slug])
    assert 'name="title_fr"' in analyst_client.get(url).content.decode()
    response = analyst_client.post(url, {**fields, "title_fr": TREATY_FR["title"],
                                         "description_fr": TREATY_FR["description"]})
    assert response.status_code == 302
    treaty.refresh_from_db()
    assert treaty.texts == {"fr": TREATY_FR}
    client = Client()
    log_in_staff(client, campaigner)
    admin_url = reverse("admin:treaties_treaty_change", args=[treaty.pk])
    assert 'name="description_es"' in client.get(admin_url).content.decode()
    response = client.post(admin_url, {**fields, "title_ar": "معاهدة تجارة الأسلحة",
                                       "description_ar": "متابعة المعاهدة."})
    assert response.status_code == 302, response.content.decode()[:3000]
    treaty.refresh_from_db()
    assert treaty.texts == {"ar": {"title": "معاهدة تجارة الأسلحة",
                                   "description": "متابعة المعاهدة."}}


def test_a_breakdown_alert_is_written_in_the_subscribers_language(client, analyst_client,
                                                                  run_tasks):
    treaty, _draft, ask = tracker_with_a_verdict()
    treaty.texts = {"fr": TREATY_FR}
    treaty.save()
    client.post(f"/fr/treaties/{treaty.slug}/subscribe/",
                {"email": "lectrice@example.fr", "consent": "on"})
    run_tasks()
    client.post(re.search(r"http://\S+(/fr/treaties/subscriptions/confirm/\S+/)",
                          mail.outbox[0].body)[1])
    assert TREATY_FR["title"] in mail.outbox[0].subject
    later = add_draft(treaty, SMALL_NEW, "March", date(2013, 3, 27))
    Verdict.objects.update_or_create(ask=ask, draft=later, defaults={
        "status": "met", "rationale": "Article 3 covers it.", "origin": Verdict.Origin.ANALYST,
        "texts": {"fr": {"rationale": "L'article 3 les couvre."}}})
    run_tasks()
    mail.outbox.clear()
    url = reverse("treaties:staff_publish", args=[later.pk])
    assert analyst_client.post(url, {"action": "publish"}).status_code == 302
    run_tasks()
    run_tasks()
    (alert,) = mail.outbox
    assert alert.subject == f"Nouvelle analyse : March ({TREATY_FR['title']})"
    assert f"« {TREATY_FR['title']} » : March." in alert.body
    assert f"- {ASK_FR['title']}: SATISFAITE. L'article 3 les couvre." in alert.body
    assert "All ammunition" not in alert.body and "Article 3 covers it" not in alert.body
