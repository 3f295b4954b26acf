from django.db import connection
from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clamour.lib.sharing import mastodon_share_url

from . import health


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
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def share_mastodon(request):
    """Send a person to the share page of their own Mastodon server."""
    text = request.GET.get("text", "")[:500]
    instance = request.GET.get("instance", "")
    url = mastodon_share_url(instance, text) if instance else None
    if url is None:
        return render(request, "core/share_mastodon.html",
                      {"text": text, "instance": instance, "error": bool(instance)},
                      status=400 if instance else 200)
    return HttpResponseRedirect(url)
