"""The campaigner's workspace (/staff/): every view is wrapped in `staff_required`
with the permission it needs; writes go through `building`, `exports` and
`actions.delivery`, the same functions the management commands call."""

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.actions.delivery import retry_failed
from clamour.actions.models import Action, Delivery, Target
from clamour.campaigns.models import Campaign
from clamour.core.access import staff_required
from clamour.lib.countries import COUNTRIES

from . import building, dashboard, exports
from .forms import (
    ActionForm,
    CampaignForm,
    DuplicateForm,
    ExportForm,
    KindForm,
    PreviewForm,
    StatusForm,
    TargetForm,
    TargetImportForm,
    UpdateForm,
)

USE = "workspace.use_workspace"
MAILINGS_URL = "/staff/mailings/?campaign={slug}"


def get_campaign(slug) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("action"), slug=slug)


def get_action(campaign) -> Action:
    action = getattr(campaign, "action", None)
    if action is None:
        raise Http404("This campaign has no action")
    return action


@staff_required(permission=USE)
@require_safe
def index(request):
    return render(request, "workspace/index.html", {"rows": dashboard.overview()})


@staff_required(permission=USE)
@require_safe
def campaign_dashboard(request, slug):
    campaign = get_campaign(slug)
    context = dashboard.campaign_dashboard(campaign)
    context["mailings_url"] = MAILINGS_URL.format(slug=campaign.slug)
    context["tab"] = "dashboard"
    return render(request, "workspace/dashboard.html", context)


@staff_required(permission="actions.change_delivery")
@require_POST
def retry(request, slug):
    campaign = get_campaign(slug)
    count = retry_failed(Delivery.objects.filter(target__action=get_action(campaign)))
    messages.success(request, _("%(n)d failed letter(s) queued to be sent again.") % {"n": count})
    return redirect("workspace:dashboard", slug=campaign.slug)


@staff_required(permission="campaigns.add_campaign")
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_new(request):
    kind_form = KindForm(request.GET or None)
    if not kind_form.is_valid():
        return render(request, "workspace/new_kind.html", {"kind_form": KindForm()})
    kind = kind_form.cleaned_data["kind"]
    campaign_form = CampaignForm(request.POST or None, prefix="campaign")
    action_form = ActionForm(request.POST or None, kind=kind, prefix="action")
    if request.method == "POST" and campaign_form.is_valid() and action_form.is_valid():
        campaign = building.create_campaign(
            {name: campaign_form.cleaned_data[name] for name in campaign_form.Meta.fields},
            {"kind": kind, **{name: action_form.cleaned_data[name] for name in action_form.fields}},
        )
        messages.success(request, _("Campaign created as a draft. Add its targets, then publish it."))
        return redirect("workspace:edit", slug=campaign.slug)
    return render(request, "workspace/campaign_form.html", {
        "campaign_form": campaign_form, "action_form": action_form, "kind": kind, "new": True})


@staff_required(permission="campaigns.change_campaign")
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_edit(request, slug):
    campaign = get_campaign(slug)
    action = get_action(campaign)
    campaign_form = CampaignForm(request.POST or None, instance=campaign, prefix="campaign")
    action_form = ActionForm(request.POST or None, instance=action, kind=action.kind, prefix="action")
    preview_country = (request.POST.get("country") or request.GET.get("country") or "").upper()
    if preview_country not in COUNTRIES:
        preview_country = _first_country(action)
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        # Show the letter as typed, without saving it.
        preview = building.preview_letter(
            action, preview_country, subject=request.POST.get("action-letter_subject", ""),
            template=request.POST.get("action-letter_template", ""))
    elif request.method == "POST" and campaign_form.is_valid() and action_form.is_valid():
        if campaign_form.changed_data:
            building.save_campaign(campaign_form.save(commit=False), campaign_form.changed_data)
        if action_form.changed_data:
            building.save_action(action_form.save(commit=False), action_form.changed_data)
        messages.success(request, _("Saved."))
        return redirect(reverse("workspace:edit", args=[campaign.slug]) + f"?country={preview_country}")
    elif action.is_letter:
        preview = building.preview_letter(action, preview_country)
    return render(request, "workspace/campaign_form.html", {
        "campaign": campaign, "action": action, "campaign_form": campaign_form,
        "action_form": action_form, "kind": action.kind, "preview": preview,
        "preview_form": PreviewForm(initial={"country": preview_country}),
        "status_form": StatusForm(initial={"status": campaign.status}), "tab": "edit",
    })


def _first_country(action) -> str:
    countries = [t.country for t in action.targets.all() if t.country]
    return countries[0] if countries else "GB"


@staff_required(permission="campaigns.change_campaign")
@require_POST
def letter_preview(request, slug):
    """The preview fragment the edit page's script asks for as the letter is typed."""
    campaign = get_campaign(slug)
    action = get_action(campaign)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return render(request, "workspace/_preview.html", {"preview_errors": form.errors}, status=400)
    preview = building.preview_letter(action, form.cleaned_data["country"],
                                      subject=form.cleaned_data["letter_subject"],
                                      template=form.cleaned_data["letter_template"])
    return render(request, "workspace/_preview.html", {"preview": preview})


@staff_required(permission="campaigns.change_campaign")
@require_POST
def set_status(request, slug):
    campaign = get_campaign(slug)
    form = StatusForm(request.POST)
    if form.is_valid():
        building.set_status(campaign, form.cleaned_data["status"])
        messages.success(request, _("The campaign is now: %(status)s.") % {
            "status": campaign.get_status_display()})
    return redirect("workspace:edit", slug=campaign.slug)


@staff_required(permission="campaigns.add_campaign")
@require_http_methods(["GET", "HEAD", "POST"])
def duplicate(request, slug):
    campaign = get_campaign(slug)
    form = DuplicateForm(request.POST or None, initial={
        "title": _("Copy of %(title)s") % {"title": campaign.title}, "slug": f"{campaign.slug}-copy"})
    if request.method == "POST" and form.is_valid():
        copy = building.duplicate_campaign(campaign, form.cleaned_data["slug"], form.cleaned_data["title"])
        messages.success(request, _("Copied as a draft: change what you need, then publish it."))
        return redirect("workspace:edit", slug=copy.slug)
    return render(request, "workspace/duplicate.html", {"campaign": campaign, "form": form, "tab": "duplicate"})


@staff_required(permission="actions.change_target")
@require_http_methods(["GET", "HEAD", "POST"])
def targets(request, slug):
    campaign = get_campaign(slug)
    action = get_action(campaign)
    form = TargetForm(request.POST if "add" in request.POST else None)
    import_form = TargetImportForm(request.POST if "import" in request.POST else None,
                                   request.FILES if "import" in request.POST else None)
    import_errors = []
    if request.method == "POST" and "add" in request.POST and form.is_valid():
        building.add_target(action, **form.cleaned_data)
        messages.success(request, _("Target added."))
        return redirect("workspace:targets", slug=campaign.slug)
    if request.method == "POST" and "import" in request.POST and import_form.is_valid():
        try:
            count = building.import_targets(action, import_form.cleaned_data["file"].read(),
                                            replace=import_form.cleaned_data["replace"])
        except building.ImportFailed as failed:
            import_errors = failed.errors
        else:
            messages.success(request, _("%(n)d target(s) imported.") % {"n": count})
            return redirect("workspace:targets", slug=campaign.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "workspace/targets.html", {
        "campaign": campaign, "action": action, "targets": list(action.targets.all()),
        "form": form, "import_form": import_form, "import_errors": import_errors,
        "tab": "targets"}, status=status)


@staff_required(permission="actions.delete_target")
@require_POST
def target_remove(request, slug, pk):
    campaign = get_campaign(slug)
    building.remove_target(get_object_or_404(Target, pk=pk, action=get_action(campaign)))
    messages.success(request, _("Target removed."))
    return redirect("workspace:targets", slug=campaign.slug)


@staff_required(permission="campaigns.add_update")
@require_http_methods(["GET", "HEAD", "POST"])
def updates(request, slug):
    campaign = get_campaign(slug)
    form = UpdateForm(request.POST or None, initial={"published_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        building.post_update(campaign, **form.cleaned_data)
        messages.success(request, _("Update posted."))
        return redirect("workspace:updates", slug=campaign.slug)
    return render(request, "workspace/updates.html", {
        "campaign": campaign, "form": form, "tab": "updates", "now": timezone.now(),
        "updates": list(campaign.updates.order_by("-published_at"))},
        status=400 if request.method == "POST" else 200)


@staff_required(permission="workspace.export_personal_data")
@require_http_methods(["GET", "HEAD", "POST"])
def export(request, slug):
    campaign = get_campaign(slug)
    action = get_action(campaign)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        response = StreamingHttpResponse(
            exports.export_csv(action, kind, form.filters(), request.user),
            content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-{kind}-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "workspace/export.html", {"campaign": campaign, "form": form, "tab": "export"},
                  status=400 if request.method == "POST" else 200)
