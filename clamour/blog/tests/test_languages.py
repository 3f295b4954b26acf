"""A post may be translated: each language's pages show its translation where there
is one, else the post as written (marked as English), and staff are told."""

import re

import pytest
from django.urls import reverse

from clamour.blog.models import Post
from clamour.campaigns.models import Update
from clamour.testing.auth import log_in_staff
from clamour.testing.blog import add_post_update, make_editor, make_post, post_form
from clamour.testing.factories import make_campaign

pytestmark = pytest.mark.django_db

FRENCH = {"title": "Le traité avance", "summary": "En bref.", "body": "Le **récit** à ce jour."}


def translated_post(**kwargs):
    post = make_post(title="The treaty moves", **kwargs)
    Post.objects.filter(pk=post.pk).update(texts={"fr": FRENCH})
    post.refresh_from_db()
    return post


def test_a_translated_post_is_read_in_its_language_and_named_only_where_it_exists(client):
    post = translated_post()
    french = client.get(f"/fr/blog/{post.slug}/").content.decode()
    assert '<h1 dir="auto" lang="fr">Le traité avance</h1>' in french
    assert 'lang="fr"><p>Le <strong>récit</strong> à ce jour.</p>' in french
    assert '<meta property="og:title" content="Le traité avance">' in french
    assert "The treaty moves" not in french
    # Alternates: English and French, where the post exists, not Spanish or Arabic.
    assert re.search(rf'hreflang="fr" href="http[^"]+/fr/blog/{post.slug}/"', french)
    assert re.search(rf'hreflang="en" href="http[^"]+/blog/{post.slug}/"', french)
    assert '<link rel="alternate" hreflang="ar"' not in french
    assert '<link rel="alternate" hreflang="es"' not in french

    # In Arabic, the post as written, marked English, read left to right; no notice.
    arabic = client.get(f"/ar/blog/{post.slug}/").content.decode()
    assert '<h1 dir="auto" lang="en">The treaty moves</h1>' in arabic
    assert '<html lang="ar" dir="rtl">' in arabic
    assert 'class="notice"' not in arabic and "Le traité" not in arabic


def test_staff_are_told_a_post_is_not_translated(client, django_user_model):
    post = translated_post()
    editor = make_editor(django_user_model)
    log_in_staff(client, editor)
    arabic = client.get(f"/ar/blog/{post.slug}/").content.decode()
    assert "لم تُترجم هذه التدوينة إلى العربيّة بعد" in arabic
    french = client.get(f"/fr/blog/{post.slug}/").content.decode()
    assert "Le traité avance" in french and "pas encore traduit" not in french
    # The index marks each untranslated post for them, and only for them.
    make_post("other", title="Only in English")
    index = client.get("/fr/blog/").content.decode()
    assert index.count("Pas encore traduit dans cette langue") == 1
    assert '<h2 dir="auto" lang="fr"><a href="/fr/blog/' + post.slug in index
    client.logout()
    assert "Pas encore traduit" not in client.get("/fr/blog/").content.decode()


def test_the_blog_index_lists_each_post_in_the_pages_language(client):
    post = translated_post()
    make_post("other", title="Only in English")
    french = client.get("/fr/blog/").content.decode()
    assert "Le traité avance" in french and "En bref." in french
    assert '<h2 dir="auto" lang="en"><a href="/fr/blog/other/">Only in English</a></h2>' in french
    english = client.get("/blog/").content.decode()
    assert "The treaty moves" in english and "Le traité" not in english
    assert post.missing_languages() == ["es", "ar"]


def test_an_incomplete_translation_is_not_shown(client):
    post = make_post(title="The treaty moves")
    Post.objects.filter(pk=post.pk).update(texts={"es": {"title": "El tratado avanza"}})
    spanish = client.get(f"/es/blog/{post.slug}/").content.decode()
    assert '<h1 dir="auto" lang="en">The treaty moves</h1>' in spanish
    assert "El tratado avanza" not in spanish


def test_editors_translate_a_post_side_by_side_in_the_admin(client, django_user_model):
    editor = make_editor(django_user_model)
    log_in_staff(client, editor)
    post = make_post(title="The treaty moves", author=editor.author)
    url = reverse("admin:blog_post_change", args=[post.pk])
    form = client.get(url).content.decode()
    for code in ("fr", "es", "ar"):
        assert f'name="title_{code}"' in form and f'name="body_{code}"' in form
    assert 'name="title_en"' not in form
    response = client.post(url, post_form(
        editor.author, slug=post.slug, title=post.title, status="published",
        published_at_0=f"{post.published_at:%Y-%m-%d}", published_at_1="10:00:00",
        title_fr=FRENCH["title"], summary_fr=FRENCH["summary"], body_fr=FRENCH["body"],
        title_ar="المعاهدة تتقدّم"))
    assert response.status_code == 302, response.content.decode()[:3000]
    post.refresh_from_db()
    assert post.texts == {"fr": FRENCH, "ar": {"title": "المعاهدة تتقدّم", "summary": "",
                                               "body": ""}}
    assert post.languages() == ["en", "fr"]
    assert "Le traité avance" in client.get(f"/fr/blog/{post.slug}/").content.decode()
    listing = client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert "Español, العربية" in listing


def test_post_updates_follow_the_pages_language(client):
    post = make_post()
    update = add_post_update(post, title="Vote today", body="The vote is **today**.")
    type(update).objects.filter(pk=update.pk).update(
        texts={"fr": {"title": "Vote aujourd'hui", "body": "Le vote a lieu **aujourd'hui**."}})
    french = client.get(f"/fr/blog/{post.slug}/").content.decode()
    assert f'id="update-{update.pk}" lang="fr"' in french
    assert "Le vote a lieu <strong>" in french and "Vote today" not in french
    arabic = client.get(f"/ar/blog/{post.slug}/").content.decode()
    assert f'id="update-{update.pk}" lang="en"' in arabic and "Vote today" in arabic


def test_campaign_updates_follow_the_pages_language_and_are_written_in_the_admin(
        client, campaigner):
    campaign = make_campaign()
    log_in_staff(client, campaigner)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    assert 'name="updates-__prefix__-body_ar"' in client.get(url).content.decode()
    response = client.post(url, {
        "slug": campaign.slug, "title": campaign.title, "summary": campaign.summary,
        "story": campaign.story, "status": "live", "language": "en",
        "updates-TOTAL_FORMS": "1", "updates-INITIAL_FORMS": "0",
        "updates-0-published_at_0": "2020-01-02", "updates-0-published_at_1": "10:00:00",
        "updates-0-title": "Talks resume", "updates-0-body": "Talks resume in **July**.",
        "updates-0-title_ar": "استئناف المفاوضات",
        "updates-0-body_ar": "تُستأنف المفاوضات في **يوليو**.",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    update = Update.objects.get()
    assert update.texts == {"ar": {"title": "استئناف المفاوضات",
                                   "body": "تُستأنف المفاوضات في **يوليو**."}}
    client.logout()
    arabic = client.get(f"/ar/campaigns/{campaign.slug}/").content.decode()
    assert f'id="update-{update.pk}" lang="ar"' in arabic
    assert "تُستأنف المفاوضات في <strong>يوليو</strong>." in arabic
    french = client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert f'id="update-{update.pk}" lang="en"' in french and "Talks resume" in french


def test_the_campaign_pages_post_list_is_in_the_pages_language(client):
    campaign = make_campaign()
    translated_post(campaign=campaign)
    french = client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert 'lang="fr" dir="auto">Le traité avance</a>' in french
    english = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert 'lang="en" dir="auto">The treaty moves</a>' in english
