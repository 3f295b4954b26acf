"""Analyst pages: upload drafts, check and correct their structure and alignment,
define asks and attach them to provisions, record verdicts and positions, publish.

Every view is wrapped in `staff_required` with the Django model permission it needs;
views that show (GET) and change (POST) check the change permission on POST as well.
"""

import time
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clamour.core.access import staff_required
from clamour.lib.alignment.parse import to_markdown

from . import tracker
from .forms import (
    AskForm,
    AttachForm,
    DraftForm,
    DraftUploadForm,
    ForbidForm,
    PinForm,
    PositionForm,
    PositionImportForm,
    ProvisionForm,
    SplitForm,
    TreatyForm,
    VerdictsForm,
)
from .models import (
    Ask,
    AskAttachment,
    BreakdownAlert,
    Correction,
    Draft,
    MatchGroup,
    Position,
    Provision,
    Subscription,
    Treaty,
    Verdict,
)
from .positions import MAX_CSV_BYTES, ImportFailed, import_csv, latest_positions


def require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _timeline(treaty):
    return list(treaty.drafts.order_by("date", "pk"))


def attachment_report(treaty, drafts, attachments):
    """For each attachment: the provisions carrying it in each draft, and whether it
    needs review (no provision in the newest draft, not yet reviewed for it)."""
    carriers = tracker.attached_provisions(drafts, {a.lineage_id for a in attachments})
    names = {
        p.pk: p
        for p in Provision.objects.filter(pk__in={pk for pks in carriers.values() for pk in pks})
    }
    latest = drafts[-1] if drafts else None
    report = []
    for a in attachments:
        cells = [(d, [names[pk] for pk in carriers.get((d.pk, a.lineage_id), [])]) for d in drafts]
        flagged = bool(
            latest and not carriers.get((latest.pk, a.lineage_id)) and a.reviewed_in_id != latest.pk
        )
        report.append({"attachment": a, "cells": cells, "flagged": flagged})
    return report


# ---------------------------------------------------------------------- treaties


@staff_required(permission="treaties.view_treaty")
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    form = TreatyForm(request.POST or None)
    if request.method == "POST":
        require(request, "treaties.add_treaty")
        if form.is_valid():
            treaty = form.save()
            messages.success(request, _("Treaty created. Now upload its first draft."))
            return redirect("treaties:staff_upload", slug=treaty.slug)
    treaties = list(Treaty.objects.all())
    return render(
        request,
        "treaties/staff/index.html",
        {"treaties": treaties, "form": form},
        status=400 if form.errors else 200,
    )


def _get_treaty(slug):
    return get_object_or_404(Treaty.objects.select_related("campaign"), slug=slug)


@staff_required(permission="treaties.view_treaty")
def treaty(request, slug):
    treaty = _get_treaty(slug)
    drafts = _timeline(treaty)
    asks = list(treaty.asks.all())
    attachments = list(AskAttachment.objects.filter(ask__treaty=treaty).select_related("ask"))
    report = attachment_report(treaty, drafts, attachments)
    pending = defaultdict(int)
    for v in Verdict.objects.filter(draft__treaty=treaty, origin=Verdict.Origin.SUGGESTED):
        pending[v.draft_id] += 1
    provision_counts = defaultdict(int)
    for draft_id in Provision.objects.filter(draft__treaty=treaty).values_list(
        "draft_id", flat=True
    ):
        provision_counts[draft_id] += 1
    rows = [(d, provision_counts[d.pk], pending[d.pk]) for d in reversed(drafts)]
    return render(
        request,
        "treaties/staff/treaty.html",
        {
            "treaty": treaty,
            "rows": rows,
            "asks": asks,
            "flagged": [r for r in report if r["flagged"]],
            "subscribers": Subscription.objects.filter(
                treaty=treaty, status=Subscription.Status.CONFIRMED
            ).count(),
        },
    )


@staff_required(permission="treaties.change_treaty")
@require_http_methods(["GET", "HEAD", "POST"])
def treaty_edit(request, slug):
    treaty = _get_treaty(slug)
    form = TreatyForm(request.POST or None, instance=treaty)
    if request.method == "POST" and form.is_valid():
        treaty = form.save()
        messages.success(request, _("Saved."))
        return redirect("treaties:staff_treaty", slug=treaty.slug)
    return render(
        request,
        "treaties/staff/treaty_form.html",
        {"treaty": treaty, "form": form},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------ drafts


@staff_required(permission="treaties.add_draft")
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request, slug):
    """Upload a draft. "Preview" reads it and shows the structure and warnings
    without storing anything; the analyst may correct the structure, then store."""
    treaty = _get_treaty(slug)
    form = DraftUploadForm(request.POST or None, request.FILES or None, user=request.user)
    preview = None
    if request.method == "POST":
        started = time.perf_counter()
        if form.is_valid() and request.POST.get("action") == "preview":
            data = request.POST.copy()
            data["preview_token"] = form.keep_for_preview() or form.cleaned_data.get("preview_token", "")
            data["structure"] = to_markdown(form.document)
            preview = _preview(form.document)
            preview["file_name"] = form.source.get("source_name", "")
            form = DraftUploadForm(data, user=request.user)
        elif form.is_valid():
            data = form.cleaned_data
            draft = tracker.create_draft(
                treaty,
                label=data["label"],
                date=data["date"],
                doc=form.document,
                summary=data["summary"],
                user=request.user,
                keep_redline=data["keep_redline"],
                **form.source,
            )
            form.forget_preview()
            seconds = time.perf_counter() - started
            count = draft.provisions.count()
            messages.success(
                request,
                _("“%(label)s” read: %(n)d provisions, parsed and aligned in %(s).2f s.")
                % {"label": draft.label, "n": count, "s": seconds},
            )
            response = redirect("treaties:staff_alignment", pk=draft.pk)
            response["X-Clamour-Seconds"] = f"{seconds:.3f}"
            return response
    return render(
        request,
        "treaties/staff/upload.html",
        {"treaty": treaty, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


def _preview(doc) -> dict:
    """What the analyst checks before storing: counts, warnings, and each
    article's provisions with their first words."""

    def first_words(text: str, n: int = 12) -> str:
        words = text.split()
        return " ".join(words[:n]) + (" …" if len(words) > n else "")

    sections = []
    if doc.preamble or doc.principles:
        sections.append(
            {
                "heading": _("Preamble"),
                "provisions": [(p.id, first_words(p.full_text)) for p in doc.preamble + doc.principles],
            }
        )
    for article in doc.articles:
        head = article.number if article.number.startswith("Annex") else _("Article %(n)s") % {"n": article.number}
        sections.append(
            {
                "heading": f"{head} \u2014 {article.title}" if article.title else head,
                "provisions": [(p.id, first_words(p.full_text)) for p in article.provisions],
            }
        )
    return {
        "title": doc.title,
        "articles": len(doc.articles),
        "provisions": len(doc.provisions()),
        "warnings": doc.warnings,
        "sections": sections,
        "revised": sum(1 for p in doc.provisions() if p.before),
        "notes": sum(len(p.notes) for p in doc.provisions()),
    }


def _get_draft(pk):
    return get_object_or_404(Draft.objects.select_related("treaty"), pk=pk)


@staff_required(permission="treaties.view_draft")
@require_http_methods(["GET", "HEAD", "POST"])
def draft(request, pk):
    draft = _get_draft(pk)
    form = DraftForm(request.POST or None, instance=draft)
    if request.method == "POST":
        require(request, "treaties.change_draft")
        if form.is_valid():
            with transaction.atomic():
                form.save()
                tracker.draft_edited(draft, form.changed_data)
            messages.success(request, _("Saved."))
            return redirect("treaties:staff_draft", pk=draft.pk)
    provisions = list(draft.provisions.order_by("order"))
    sections = []
    for p in provisions:
        if not sections or sections[-1]["key"] != p.section_key:
            sections.append(
                {
                    "key": p.section_key,
                    "provisions": [],
                    "title": p.article_title,
                    "article": p.article,
                    "kind": p.kind,
                }
            )
        sections[-1]["provisions"].append(p)
    return render(
        request,
        "treaties/staff/draft.html",
        {
            "treaty": draft.treaty,
            "draft": draft,
            "form": form,
            "sections": sections,
            "count": len(provisions),
        },
        status=400 if form.errors else 200,
    )


@staff_required(permission="treaties.view_draft")
def draft_source(request, pk):
    draft = _get_draft(pk)
    if draft.source_file:
        return FileResponse(
            draft.source_file.open("rb"),
            as_attachment=True,
            filename=draft.source_name or draft.source_file.name.rsplit("/", 1)[-1],
        )
    if draft.source_text:
        response = HttpResponse(draft.source_text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{draft.slug}.txt"'
        return response
    raise Http404("No original kept")


def _get_provision(pk):
    return get_object_or_404(Provision.objects.select_related("draft__treaty"), pk=pk)


@staff_required(permission="treaties.change_provision")
@require_http_methods(["GET", "HEAD", "POST"])
def provision_edit(request, pk):
    provision = _get_provision(pk)
    form = ProvisionForm(request.POST or None, instance=provision)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            tracker.provision_edited(provision, form.changed_data)
        messages.success(
            request, _("%(pid)s saved; the alignment was updated.") % {"pid": provision.pid}
        )
        return redirect(
            reverse("treaties:staff_draft", args=[provision.draft_id]) + f"#p{provision.pk}"
        )
    return render(
        request,
        "treaties/staff/provision_form.html",
        {
            "treaty": provision.draft.treaty,
            "draft": provision.draft,
            "provision": provision,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@staff_required(permission="treaties.change_provision")
@require_POST
def provision_merge(request, pk):
    provision = _get_provision(pk)
    try:
        tracker.merge_with_next(provision)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Merged with the next provision; the alignment was updated."))
    return redirect(
        reverse("treaties:staff_draft", args=[provision.draft_id]) + f"#p{provision.pk}"
    )


@staff_required(permission="treaties.change_provision")
@require_http_methods(["GET", "HEAD", "POST"])
def provision_split(request, pk):
    provision = _get_provision(pk)
    form = SplitForm(
        request.POST or None, provision=provision, initial={"first_text": provision.text}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        second = tracker.split(
            provision,
            data["first_text"],
            data["second_pid"],
            data["second_label"],
            data["second_text"],
        )
        messages.success(
            request,
            _("Split into %(a)s and %(b)s; the alignment was updated.")
            % {"a": provision.pid, "b": second.pid},
        )
        return redirect(
            reverse("treaties:staff_draft", args=[provision.draft_id]) + f"#p{second.pk}"
        )
    return render(
        request,
        "treaties/staff/split.html",
        {
            "treaty": provision.draft.treaty,
            "draft": provision.draft,
            "provision": provision,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------- alignment


def _against(request, draft):
    """The draft to compare with: ?against=<id>, else the previous one."""
    wanted = request.GET.get("against") or request.POST.get("against")
    if wanted:
        other = (
            Draft.objects.filter(treaty_id=draft.treaty_id, pk=wanted).exclude(pk=draft.pk).first()
        )
        if other is None:
            raise Http404("No such draft")
        return other
    return draft.previous()


def _ordered(a, b):
    return (a, b) if (a.date, a.pk) < (b.date, b.pk) else (b, a)


@staff_required(permission="treaties.view_draft")
def alignment(request, pk):
    draft = _get_draft(pk)
    other = _against(request, draft)
    drafts = _timeline(draft.treaty)
    context = {"treaty": draft.treaty, "draft": draft, "other": other, "drafts": drafts}
    if other is not None:
        old, new = _ordered(other, draft)
        comp = tracker.comparison(old, new)
        groups = list(comp.groups.all())
        rows = {r.pk: r for r in Provision.objects.filter(draft__in=[old, new])}
        show_all = request.GET.get("all") == "1"
        items = [
            {"group": g, "old": [rows[i] for i in g.old_ids], "new": [rows[i] for i in g.new_ids]}
            for g in groups
            if show_all or g.kind != MatchGroup.Kind.UNCHANGED
        ]
        corrections = []
        for c in Correction.objects.filter(old_draft=old, new_draft=new).order_by("-created_at"):
            corrections.append(
                {
                    "correction": c,
                    "old": [rows[i] for i in c.old_ids if i in rows],
                    "new": [rows[i] for i in c.new_ids if i in rows],
                }
            )
        context.update(
            {
                "old": old,
                "new": new,
                "comparison": comp,
                "items": items,
                "show_all": show_all,
                "unchanged": sum(1 for g in groups if g.kind == MatchGroup.Kind.UNCHANGED),
                "counts": sorted(comp.counts.items()),
                "corrections": corrections,
                "pin_form": PinForm(old_draft=old, new_draft=new),
            }
        )
    return render(request, "treaties/staff/alignment.html", context)


@staff_required(permission="treaties.add_correction")
@require_POST
def correct(request, pk):
    """Pin a match (“these match”) or forbid one (“these do not match”), then re-align."""
    draft = _get_draft(pk)
    other = _against(request, draft)
    if other is None:
        raise Http404("Nothing to compare with")
    old, new = _ordered(other, draft)
    kind = request.POST.get("kind")
    form_class = {Correction.Kind.PIN: PinForm, Correction.Kind.FORBID: ForbidForm}.get(kind)
    if form_class is None:
        return HttpResponse(_("Unknown correction."), status=400)
    form = form_class(request.POST, old_draft=old, new_draft=new)
    url = reverse("treaties:staff_alignment", args=[draft.pk]) + f"?against={other.pk}"
    if not form.is_valid():
        messages.error(request, _("Choose at least one provision on each side."))
        return redirect(url)
    tracker.save_correction(
        old,
        new,
        kind,
        form.cleaned_data["old"],
        form.cleaned_data["new"],
        user=request.user,
        note=form.cleaned_data.get("note", ""),
    )
    messages.success(
        request,
        _(
            "Correction saved and applied; it will be applied again whenever these drafts "
            "are aligned, and later drafts inherit the corrected identities."
        ),
    )
    return redirect(url)


@staff_required(permission="treaties.delete_correction")
@require_POST
def correction_delete(request, pk):
    correction = get_object_or_404(
        Correction.objects.select_related("old_draft", "new_draft"), pk=pk
    )
    old, new = correction.old_draft, correction.new_draft
    with transaction.atomic():
        correction.delete()
        tracker.realign(old, new)
    messages.success(request, _("Correction removed; the drafts were aligned again."))
    return redirect(reverse("treaties:staff_alignment", args=[new.pk]) + f"?against={old.pk}")


# -------------------------------------------------------------------------- asks


@staff_required(permission="treaties.view_ask")
@require_http_methods(["GET", "HEAD", "POST"])
def asks(request, slug):
    treaty = _get_treaty(slug)
    form = AskForm(request.POST or None)
    if request.method == "POST":
        require(request, "treaties.add_ask")
        if form.is_valid():
            ask = form.save(commit=False)
            ask.treaty = treaty
            ask.save()
            messages.success(request, _("Ask added. Now attach it to the provisions it concerns."))
            return redirect("treaties:staff_ask", pk=ask.pk)
    drafts = _timeline(treaty)
    attachments = list(AskAttachment.objects.filter(ask__treaty=treaty).select_related("ask"))
    report = attachment_report(treaty, drafts, attachments)
    by_ask = defaultdict(list)
    for r in report:
        by_ask[r["attachment"].ask_id].append(r)
    rows = [(ask, by_ask[ask.pk]) for ask in treaty.asks.all()]
    return render(
        request,
        "treaties/staff/asks.html",
        {"treaty": treaty, "rows": rows, "form": form},
        status=400 if form.errors else 200,
    )


def _get_ask(pk):
    return get_object_or_404(Ask.objects.select_related("treaty"), pk=pk)


@staff_required(permission="treaties.change_ask")
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request, pk):
    ask = _get_ask(pk)
    treaty = ask.treaty
    drafts = _timeline(treaty)
    form = AskForm(request.POST or None, instance=ask)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("treaties:staff_ask", pk=ask.pk)
    in_draft = drafts[-1] if drafts else None
    wanted = request.GET.get("draft")
    if wanted:
        in_draft = next((d for d in drafts if str(d.pk) == wanted), in_draft)
    attachments = list(ask.attachments.select_related("attached_in", "reviewed_in"))
    return render(
        request,
        "treaties/staff/ask.html",
        {
            "treaty": treaty,
            "ask": ask,
            "form": form,
            "drafts": drafts,
            "in_draft": in_draft,
            "report": attachment_report(treaty, drafts, attachments),
            "attach_form": AttachForm(draft=in_draft) if in_draft else None,
        },
        status=400 if form.errors else 200,
    )


@staff_required(permission="treaties.add_askattachment")
@require_POST
def attach(request, pk):
    ask = _get_ask(pk)
    draft = get_object_or_404(Draft, pk=request.POST.get("draft") or 0, treaty=ask.treaty)
    form = AttachForm(request.POST, draft=draft)
    if not form.is_valid():
        messages.error(request, _("Choose a provision to attach."))
        return redirect(reverse("treaties:staff_ask", args=[ask.pk]) + f"?draft={draft.pk}")
    provision = get_object_or_404(Provision, pk=form.cleaned_data["provision"], draft=draft)
    with transaction.atomic():
        _attachment, created = AskAttachment.objects.get_or_create(
            ask=ask,
            lineage_id=provision.lineage_id,
            defaults={
                "attached_in": draft,
                "note": form.cleaned_data["note"],
                "created_by": request.user,
            },
        )
        # Verdicts after this draft may now be carried or suggested differently.
        tracker.propagate_verdicts(draft)
    if created:
        messages.success(
            request,
            _("Attached to %(name)s; the attachment follows it into later drafts.")
            % {"name": provision.name},
        )
    else:
        messages.info(request, _("Already attached to %(name)s.") % {"name": provision.name})
    return redirect(reverse("treaties:staff_ask", args=[ask.pk]) + f"?draft={draft.pk}")


@staff_required(permission="treaties.delete_askattachment")
@require_POST
def detach(request, pk):
    attachment = get_object_or_404(AskAttachment.objects.select_related("ask"), pk=pk)
    attachment.delete()
    messages.success(request, _("Attachment removed."))
    return redirect("treaties:staff_ask", pk=attachment.ask_id)


@staff_required(permission="treaties.change_askattachment")
@require_POST
def attachment_reviewed(request, pk):
    """The analyst checked a flagged attachment against the newest draft."""
    attachment = get_object_or_404(AskAttachment.objects.select_related("ask__treaty"), pk=pk)
    latest = attachment.ask.treaty.drafts.order_by("-date", "-pk").first()
    attachment.reviewed_in = latest
    attachment.save(update_fields=["reviewed_in"])
    messages.success(
        request,
        _("Marked as reviewed for “%(label)s”.") % {"label": latest.label if latest else ""},
    )
    return redirect("treaties:staff_ask", pk=attachment.ask_id)


# ---------------------------------------------------------------------- verdicts


@staff_required(permission="treaties.change_verdict")
@require_http_methods(["GET", "HEAD", "POST"])
def verdicts(request, pk):
    draft = _get_draft(pk)
    treaty = draft.treaty
    asks = list(treaty.asks.all())
    existing = {v.ask_id: v for v in Verdict.objects.filter(draft=draft)}
    form = VerdictsForm(request.POST or None, asks=asks, verdicts=existing)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for ask in asks:
                status = form.cleaned_data[f"status_{ask.pk}"]
                rationale = form.cleaned_data[f"rationale_{ask.pk}"].strip()
                current = existing.get(ask.pk)
                if not status:
                    if current is not None:
                        current.delete()
                    continue
                Verdict.objects.update_or_create(
                    ask=ask,
                    draft=draft,
                    defaults={
                        "status": status,
                        "rationale": rationale,
                        "texts": form.translations(ask),
                        "origin": Verdict.Origin.ANALYST,
                        "review_note": "",
                        "updated_by": request.user,
                    },
                )
            tracker.propagate_verdicts(draft)
        messages.success(request, _("Verdicts saved for “%(label)s”.") % {"label": draft.label})
        return redirect("treaties:staff_verdicts", pk=draft.pk)
    previous = draft.previous()
    before = {v.ask_id: v for v in Verdict.objects.filter(draft=previous)} if previous else {}
    rows = [
        (ask, status, rationale, translations, existing.get(ask.pk), before.get(ask.pk))
        for ask, status, rationale, translations in form.rows()
    ]
    return render(
        request,
        "treaties/staff/verdicts.html",
        {
            "treaty": treaty,
            "draft": draft,
            "form": form,
            "rows": rows,
            "previous": previous,
        },
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------- positions


@staff_required(permission="treaties.view_position")
@require_http_methods(["GET", "HEAD", "POST"])
def positions(request, slug):
    treaty = _get_treaty(slug)
    form = PositionForm(request.POST or None, treaty=treaty)
    if request.method == "POST":
        require(request, "treaties.add_position")
        if form.is_valid():
            form.save()
            messages.success(request, _("Position recorded."))
            return redirect("treaties:staff_positions", slug=treaty.slug)
    positions = list(
        Position.objects.filter(ask__treaty=treaty)
        .select_related("ask")
        .order_by("ask", "country", "-date")
    )
    return render(
        request,
        "treaties/staff/positions.html",
        {
            "treaty": treaty,
            "form": form,
            "positions": positions,
            "import_form": PositionImportForm(treaty=treaty),
            "latest_ids": {
                p.pk
                for ask_id in {p.ask_id for p in positions}
                for p in latest_positions([q for q in positions if q.ask_id == ask_id]).values()
            },
        },
        status=400 if form.errors else 200,
    )


@staff_required(permission="treaties.change_position")
@require_http_methods(["GET", "HEAD", "POST"])
def position_edit(request, pk):
    position = get_object_or_404(Position.objects.select_related("ask__treaty"), pk=pk)
    treaty = position.ask.treaty
    form = PositionForm(request.POST or None, instance=position, treaty=treaty)
    if request.method == "POST":
        if request.POST.get("delete"):
            require(request, "treaties.delete_position")
            position.delete()
            messages.success(request, _("Position deleted."))
            return redirect("treaties:staff_positions", slug=treaty.slug)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("treaties:staff_positions", slug=treaty.slug)
    return render(
        request,
        "treaties/staff/position_form.html",
        {"treaty": treaty, "form": form, "position": position},
        status=400 if form.errors else 200,
    )


@staff_required(permission="treaties.add_position")
@require_http_methods(["GET", "HEAD", "POST"])
def positions_import(request, slug):
    treaty = _get_treaty(slug)
    form = PositionImportForm(request.POST or None, request.FILES or None, treaty=treaty)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_CSV_BYTES:
                raise ImportFailed(
                    [_("The file is too large (limit %(n)d MB).") % {"n": MAX_CSV_BYTES // 1048576}]
                )
            result = import_csv(upload.read(), list(treaty.asks.all()), form.cleaned_data["ask"])
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported: %(c)d new positions, %(u)d updated.")
                % {"c": result.created, "u": result.updated},
            )
            return redirect("treaties:staff_positions", slug=treaty.slug)
    return render(
        request,
        "treaties/staff/import.html",
        {"treaty": treaty, "form": form, "errors": errors},
        status=400 if (errors or form.errors) else 200,
    )


# -------------------------------------------------------------------- publishing


@staff_required(permission="treaties.publish_draft")
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, pk):
    draft = _get_draft(pk)
    treaty = draft.treaty
    if request.method == "POST":
        if request.POST.get("action") == "unpublish":
            tracker.unpublish(draft)
            messages.success(
                request,
                _(
                    "The breakdown is no longer public. Subscribers are not alerted again "
                    "if you publish it once more."
                ),
            )
        elif tracker.publish(draft):
            messages.success(
                request, _("Published. Subscribers are being alerted, and the feed is updated.")
            )
        else:
            messages.info(request, _("This breakdown was already published."))
        return redirect("treaties:staff_publish", pk=draft.pk)
    suggested = list(
        Verdict.objects.filter(draft=draft, origin=Verdict.Origin.SUGGESTED).select_related("ask")
    )
    asks = list(treaty.asks.all())
    recorded = {v.ask_id for v in Verdict.objects.filter(draft=draft)}
    return render(
        request,
        "treaties/staff/publish.html",
        {
            "treaty": treaty,
            "draft": draft,
            "suggested": suggested,
            "missing": [a for a in asks if a.pk not in recorded],
            "subscribers": Subscription.objects.filter(
                treaty=treaty, status=Subscription.Status.CONFIRMED
            ).count(),
            "alerts": {s: n for s, n in _alert_counts(draft).items()},
        },
    )


def _alert_counts(draft):
    counts = defaultdict(int)
    for status in BreakdownAlert.objects.filter(draft=draft).values_list("status", flat=True):
        counts[BreakdownAlert.Status(status).label] += 1
    return counts
