"""Choosing the language: prefixed addresses, Accept-Language on a first visit, the
switcher and its cookie, <html lang dir>, hreflang, and one cached copy per language."""

import re

import pytest
from django.conf import settings

from clamour.testing.factories import add_target, make_campaign

pytestmark = pytest.mark.django_db


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode())[0]


def test_a_prefixed_address_is_served_in_its_language(client):
    campaign = make_campaign()
    assert html_tag(client.get(f"/fr/campaigns/{campaign.slug}/")) == '<html lang="fr" dir="ltr">'
    assert html_tag(client.get(f"/es/campaigns/{campaign.slug}/")) == '<html lang="es" dir="ltr">'
    assert html_tag(client.get(f"/ar/campaigns/{campaign.slug}/")) == '<html lang="ar" dir="rtl">'
    assert html_tag(client.get(f"/campaigns/{campaign.slug}/")) == '<html lang="en" dir="ltr">'
    assert client.get(f"/de/campaigns/{campaign.slug}/").status_code == 404


def test_first_visit_follows_accept_language(client):
    campaign = make_campaign()
    page = client.get(f"/campaigns/{campaign.slug}/?country=FR",
                      headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert page.status_code == 302
    assert page["Location"] == f"/fr/campaigns/{campaign.slug}/?country=FR"
    assert "Accept-Language" in page["Vary"] and "Cookie" in page["Vary"]
    # A language we do not have falls through to the next one asked for, then English.
    page = client.get("/", headers={"accept-language": "de-DE,ar;q=0.8"})
    assert page["Location"] == "/ar/"
    page = client.get("/", headers={"accept-language": "de-DE,ja;q=0.8"})
    assert page.status_code == 200 and html_tag(page).startswith('<html lang="en"')
    assert "Accept-Language" in page["Vary"]


def test_machine_and_staff_addresses_are_never_redirected(client):
    campaign = make_campaign()
    french = {"accept-language": "fr"}
    assert client.get(f"/campaigns/{campaign.slug}/count.json", headers=french).status_code == 200
    assert client.get("/healthz", headers=french).status_code == 200
    assert client.get("/robots.txt", headers=french).status_code == 200
    assert client.get("/admin/login/", headers=french).status_code == 200
    assert client.get("/sitemap.xml", headers=french).status_code == 200
    # A prefixed page is what a shared link means: never sent elsewhere.
    assert client.get(f"/es/campaigns/{campaign.slug}/", headers=french).status_code == 200


def test_the_switcher_is_on_every_page_and_remembers_the_choice(client):
    campaign = make_campaign()
    page = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español"),
                       ("ar", "العربية")):
        assert (f'<a href="/language/{code}/?next=%2Fcampaigns%2F{campaign.slug}%2F" '
                f'hreflang="{code}" lang="{code}"') in page
        assert name in page
    for address in ("/blog/", "/treaties/", "/account/login/", "/privacy/"):
        assert 'href="/language/ar/?next=' in client.get(address).content.decode(), address

    chosen = client.get(f"/language/ar/?next=/campaigns/{campaign.slug}/")
    assert chosen.status_code == 302 and chosen["Location"] == f"/ar/campaigns/{campaign.slug}/"
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    # Remembered over the browser's own preference, on every unprefixed page.
    assert client.get("/blog/", headers={"accept-language": "fr"})["Location"] == "/ar/blog/"
    # Back to English: unprefixed addresses stay English from then on.
    back = client.get(f"/language/en/?next=/ar/campaigns/{campaign.slug}/")
    assert back["Location"] == f"/campaigns/{campaign.slug}/"
    page = client.get(f"/campaigns/{campaign.slug}/", headers={"accept-language": "fr"})
    assert page.status_code == 200 and html_tag(page).startswith('<html lang="en"')


def test_the_switcher_never_sends_anyone_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"):
        page = client.get("/language/fr/", {"next": target})
        assert page.status_code == 302 and page["Location"] == "/fr/", target
    assert client.get("/language/de/?next=/").status_code == 404
    assert client.post("/language/fr/?next=/").status_code == 405


def test_hreflang_alternates_name_every_language(client, settings):
    settings.SITE_URL = "https://act.example.org"
    campaign = make_campaign()
    page = client.get(f"/es/campaigns/{campaign.slug}/?country=MX").content.decode()
    base = f"https://act.example.org/%scampaigns/{campaign.slug}/"
    for code, prefix in (("en", ""), ("fr", "fr/"), ("es", "es/"), ("ar", "ar/"),
                         ("x-default", "")):
        assert f'<link rel="alternate" hreflang="{code}" href="{base % prefix}">' in page


def test_each_language_has_its_own_cached_campaign_page(client, django_assert_num_queries):
    campaign = make_campaign()
    add_target(campaign)
    french, english = f"/fr/campaigns/{campaign.slug}/", f"/campaigns/{campaign.slug}/"
    assert html_tag(client.get(french)).startswith('<html lang="fr"')
    with django_assert_num_queries(0):
        again = client.get(french)
    assert again.status_code == 200 and html_tag(again).startswith('<html lang="fr"')
    assert f'action="/fr/campaigns/{campaign.slug}/act/"' in again.content.decode()
    # The English copy is its own, and neither leaks into the other.
    english_page = client.get(english)
    assert html_tag(english_page).startswith('<html lang="en"')
    assert f'action="/campaigns/{campaign.slug}/act/"' in english_page.content.decode()
    with django_assert_num_queries(0):
        for address, code in ((english, "en"), (french, "fr"), (english, "en")):
            assert html_tag(client.get(address)).startswith(f'<html lang="{code}"')
    with django_assert_num_queries(0):  # a French browser's redirect costs no query
        assert client.get(english, headers={"accept-language": "fr"})["Location"] == french


def test_pages_and_form_errors_are_translated(client):
    campaign = make_campaign()
    add_target(campaign)
    assert "Envoyer ma lettre" in client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert "Enviar mi carta" in client.get(f"/es/campaigns/{campaign.slug}/").content.decode()
    arabic = client.get(f"/ar/campaigns/{campaign.slug}/").content.decode()
    assert "أرسل رسالتي" in arabic and "Send my letter" not in arabic
    # A French browser sent to the French page gets its errors in French.
    page = client.post(f"/fr/campaigns/{campaign.slug}/act/", {"name": "", "email": "x"},
                       HTTP_SEC_FETCH_SITE="same-origin")
    html = page.content.decode()
    assert page.status_code == 400
    assert '<html lang="fr"' in html and "Veuillez vérifier le formulaire" in html
    assert "Veuillez indiquer votre nom." in html and "Please tell us your name." not in html
    # Even the page for a wrong address.
    missing = client.get("/fr/404-nowhere/")
    assert missing.status_code == 404 and "Page introuvable" in missing.content.decode()
