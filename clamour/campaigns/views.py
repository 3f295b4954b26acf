import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from clamour.core.access import is_staff_member
from clamour.core.speed import localcache
from clamour.core.speed.pagecache import add_cache_headers

from .models import Campaign


def campaign_and_targets(slug) -> tuple[Campaign | None, list]:
    """The campaign with its action, and the action's targets, as of at most
    COUNT_INTERVAL seconds ago: read once per interval per process, not per request.
    Treat both as read-only."""

    def load():
        campaign = Campaign.objects.select_related("action").filter(slug=slug).first()
        action = getattr(campaign, "action", None) if campaign else None
        return campaign, list(action.targets.all()) if action else []

    return localcache.objects.get_or_set(f"campaign:{slug}", load, settings.COUNT_INTERVAL)


def get_campaign_for(request, slug) -> Campaign:
    """The campaign this person may see: live or archived ones, and drafts for staff."""
    campaign, _targets = campaign_and_targets(slug)
    if campaign is None:
        raise Http404("No such campaign")
    if not campaign.is_public() and not is_staff_member(request.user):
        raise Http404("No such campaign")
    return campaign


@require_safe
def home(request):
    language = get_language()
    cards = []
    for campaign in Campaign.objects.live().select_related("action"):
        action = getattr(campaign, "action", None)
        # The button names the action in the same language as the card's headline.
        cards.append((campaign.localised(language),
                      action and action.localised(language, campaign.language)))
    return render(request, "campaigns/home.html", {"campaigns": cards})


@require_safe
def count_json(request, slug):
    """The live figures. Served without a query: the campaign comes from the
    per-process cache and the count from the shared one (see Action.public_count)."""
    campaign, _targets = campaign_and_targets(slug)
    action = getattr(campaign, "action", None) if campaign and campaign.is_public() else None
    if action is None:
        return JsonResponse({"error": "No such campaign."}, status=404)
    body = json.dumps({
        "count": action.public_count(),
        "goal": action.goal,
        "deadline": action.deadline.isoformat() if action.deadline else None,
        "closed": not action.is_open(),
        "kind": action.kind,
    })
    return add_cache_headers(HttpResponse(body, content_type="application/json"))
