from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clamour.lib.sharing import mastodon_share_url

from . import health
from .languages import path_in_language


@require_safe
@never_cache
def healthz(request):
    """200 when the app can read its database and can write (clamour.core.health),
    503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    problem = health.write_problem()
    if problem:
        return JsonResponse({"status": "error", "database": "read-only",
                             "writes": problem}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def robots_txt(request):
    """Crawlers may read public pages; confirmation, thank-you and staff pages are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /confirm/",
        "Disallow: /unsubscribe/",
        "Disallow: /campaigns/*/thanks/",
        # The same pages in the other languages (/fr/confirm/ …).
        "Disallow: /*/confirm/",
        "Disallow: /*/unsubscribe/",
        "Disallow: /*/campaigns/*/thanks/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def share_mastodon(request):
    """Ask for the person's own Mastodon server, then show a link to its share page.

    Never a redirect: anyone can make a link to this page naming any server, so the page
    names the server and the person chooses to follow the link (or to type another)."""
    text = request.GET.get("text", "")[:500]
    instance = request.GET.get("instance", "")
    url = mastodon_share_url(instance, text) if instance else None
    return render(request, "core/share_mastodon.html", {
        "text": text,
        "instance": instance,
        "error": bool(instance) and url is None,
        "share_url": url,
        "host": urlsplit(url).hostname if url else "",
    }, status=400 if instance and url is None else 200)


@require_safe
@never_cache
def choose_language(request, code):
    """The language switcher's links: remember the language chosen (a cookie, nothing
    stored on our side) and go to the page the visitor was on, in that language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(path_in_language(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code,
        max_age=settings.LANGUAGE_COOKIE_AGE, path="/",
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
