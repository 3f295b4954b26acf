from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from clamour.actions.forms import SubmissionForm

from .models import Campaign


def get_campaign_for(request, slug) -> Campaign:
    """The campaign this person may see: live or archived ones, and drafts for staff."""
    campaign = Campaign.objects.select_related("action").filter(slug=slug).first()
    if campaign is None:
        raise Http404("No such campaign")
    if not campaign.is_public() and not request.user.is_staff:
        raise Http404("No such campaign")
    return campaign


@require_safe
def home(request):
    campaigns = list(Campaign.objects.live().select_related("action"))
    return render(request, "campaigns/home.html", {"campaigns": campaigns})


@require_safe
def campaign_detail(request, slug):
    campaign = get_campaign_for(request, slug)
    action = getattr(campaign, "action", None)
    form = None
    if action is not None and action.is_open():
        targets = list(action.targets.all())
        form = SubmissionForm(action=action, targets=targets,
                              initial={"ref": request.GET.get("ref", "")[:16]})
    return render_campaign(request, campaign, form)


def render_campaign(request, campaign, form, status=200, notice=None):
    """The campaign page; the action views call it to show a form with its errors."""
    action = getattr(campaign, "action", None)
    if form is not None and form.targets is not None:
        targets = form.targets
    else:
        targets = list(action.targets.all()) if action is not None else []
    context = {
        "campaign": campaign,
        "action": action,
        "updates": list(campaign.updates.published()),
        "form": form,
        "targets": targets,
        "targets_by_country": targets_by_country(action, targets) if action else {},
        "count": action.public_count() if action else 0,
        "notice": notice,
        "is_open": action.is_open() if action else False,
    }
    return render(request, "campaigns/detail.html", context, status=status)


def targets_by_country(action, targets) -> dict:
    """{"GB": ["Name, Title", …], "*": [defaults]} for the page script that shows a
    supporter who their letter goes to as soon as they pick their country."""
    found = {}
    for target in targets:
        label = f"{target.name}, {target.title}" if target.title else target.name
        if target.country:
            found.setdefault(target.country, []).append(label)
        if target.is_default and action.fallback == action.Fallback.DEFAULT_TARGET:
            found.setdefault("*", []).append(label)
    return found


@require_safe
def count_json(request, slug):
    campaign = get_campaign_for(request, slug)
    action = getattr(campaign, "action", None)
    if action is None:
        raise Http404("This campaign has no action")
    response = JsonResponse({
        "count": action.public_count(),
        "goal": action.goal,
        "deadline": action.deadline.isoformat() if action.deadline else None,
        "closed": not action.is_open(),
        "kind": action.kind,
    })
    patch_cache_control(response, public=True, max_age=settings.COUNT_INTERVAL)
    return response
