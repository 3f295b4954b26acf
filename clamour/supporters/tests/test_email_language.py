"""Every email to a supporter is in the language of the page they last acted on, and
its links lead to pages in that language; share links keep the language too."""

import re

import pytest
from django.conf import settings
from django.test import Client

from clamour.supporters.models import Supporter
from clamour.testing.factories import add_target, letter_post, make_campaign

pytestmark = pytest.mark.django_db


def act_on(client, campaign, language, **fields):
    prefix = "" if language == "en" else f"/{language}"
    return client.post(f"{prefix}/campaigns/{campaign.slug}/act/", letter_post(campaign, **fields),
                       HTTP_SEC_FETCH_SITE="same-origin")


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_supporter_acting_in_french_gets_french_emails_with_french_links(
        client, smtp_settings, run_tasks):
    campaign = make_campaign()
    add_target(campaign)
    response = act_on(client, campaign, "fr")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/fr/campaigns/{campaign.slug}/thanks/")
    supporter = Supporter.objects.get()
    assert supporter.language == "fr"

    # The thank-you page's share links keep the language.
    thanks = client.get(response["Location"]).content.decode()
    assert f"/fr/campaigns/{campaign.slug}/?ref={supporter.referral_code}" in thanks
    assert "Maintenant, faites passer le mot" in thanks

    run_tasks()
    [message] = smtp_settings.messages
    assert message["Subject"] == f"Veuillez confirmer : {campaign.title}"
    body = text_of(message)
    assert body.startswith("Bonjour Sam Supporter,") and "Please confirm" not in body
    assert re.search(r"https?://\S+/fr/confirm/\S+/", body)
    assert "Vous ne voulez plus de ces e-mails ? Désabonnez-vous" in body
    assert re.search(r"https?://\S+/fr/unsubscribe/\S+/", body)
    assert "/fr/unsubscribe/" in message["List-Unsubscribe"]


def test_the_language_follows_the_page_last_acted_on_for_every_email(
        smtp_settings, run_tasks):
    first = make_campaign("first")
    second = make_campaign("second")
    add_target(first)
    add_target(second)
    assert act_on(Client(), first, "fr").status_code == 302
    run_tasks()
    act_on(Client(), second, "ar")  # the same address, now from the Arabic page
    run_tasks()
    assert Supporter.objects.get().language == "ar"
    arabic = smtp_settings.messages[-1]
    assert text_of(arabic).startswith("مرحبًا Sam Supporter،")
    assert "/ar/confirm/" in text_of(arabic)

    # Asked for from the English page, the log-in link still comes in Arabic.
    before = len(smtp_settings.messages)
    Client().post("/account/login/", {"email": "sam@example.net"}, HTTP_SEC_FETCH_SITE="same-origin")
    run_tasks()
    [login] = smtp_settings.messages[before:]
    assert login["Subject"].strip() == f"رابط تسجيل دخولك إلى {settings.SITE_NAME}"
    assert "/ar/account/login/" in text_of(login)

    # The same address from the English page again: back to English.
    act_on(Client(), first, "en")
    run_tasks()
    assert Supporter.objects.get().language == "en"
    assert text_of(smtp_settings.messages[-1]).startswith("Hello Sam Supporter,")


def test_someone_who_never_chose_gets_english(smtp_settings, run_tasks):
    supporter = Supporter.objects.create(email="old@example.net", name="Old Hand")
    assert supporter.language == "" and supporter.email_language() == "en"
    supporter.language = "xx"  # a language the site no longer has
    assert supporter.email_language() == "en"


def test_treaty_alerts_come_in_the_language_of_the_page_subscribed_on(
        client, smtp_settings, run_tasks):
    from clamour.testing.treaties import make_treaty

    treaty = make_treaty()
    response = client.post(f"/es/treaties/{treaty.slug}/subscribe/",
                           {"email": "lector@example.net", "consent": "on"},
                           HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response["Location"].startswith("/es/treaties/")
    assert Supporter.objects.get(email="lector@example.net").language == "es"
    run_tasks()
    [message] = smtp_settings.messages
    assert message["Subject"].strip() == f"Por favor, confirma: alertas sobre {treaty.title}"
    assert "/es/treaties/subscriptions/confirm/" in text_of(message)


def test_a_letter_from_the_french_page_is_greeted_and_signed_in_french(
        client, smtp_settings, run_tasks):
    campaign = make_campaign()
    add_target(campaign, email="minister@example.org")
    act_on(client, campaign, "fr")
    run_tasks()
    link = re.search(r"https?://[^/\s]+(/fr/confirm/\S+/)", text_of(smtp_settings.messages[0]))[1]
    assert client.post(link).status_code == 302
    run_tasks()
    [letter] = [m for m in smtp_settings.messages if "minister@example.org" in m["To"]]
    body = text_of(letter).replace("\r\n", "\n")
    assert body.startswith("À l'attention de Alex Example\n\nMadame, Monsieur,\n\n")
    assert "Je vous prie d'agréer, Madame, Monsieur, l'expression de ma haute considération." \
        "\nSam Supporter" in body
    assert "Dear" not in body and "Yours sincerely" not in body
