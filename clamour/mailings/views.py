"""The campaigner's mailing pages under /staff/mailings/. Anyone with staff access may
write, preview and test a mailing; sending and cancelling need `mailings.send_mailing`
(given to the Campaigners group)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.core.access import staff_required
from clamour.lib.markup import render_markdown

from . import sending
from .forms import MailingForm, SendForm
from .models import Mailing, Recipient

SEND = "mailings.send_mailing"
RECIPIENTS_PER_PAGE = 50


def get_mailing(pk) -> Mailing:
    return get_object_or_404(
        Mailing.objects.select_related("action__campaign", "not_action__campaign",
                                       "link_action__campaign", "created_by", "sent_by"), pk=pk)


@staff_required
@require_safe
def mailing_list(request):
    mailings = Mailing.objects.select_related("action__campaign")[:200]
    return render(request, "mailings/list.html", {"mailings": mailings})


@staff_required
@require_http_methods(["GET", "POST"])
def mailing_new(request):
    form = MailingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        mailing = form.save()
        return redirect("mailings:detail", mailing.pk)
    return render(request, "mailings/form.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def mailing_edit(request, pk):
    mailing = get_mailing(pk)
    if not mailing.is_editable():
        messages.error(request, _("A mailing that was sent or scheduled cannot be changed."))
        return redirect("mailings:detail", mailing.pk)
    form = MailingForm(request.POST or None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("mailings:detail", mailing.pk)
    return render(request, "mailings/form.html", {"form": form, "mailing": mailing},
                  status=400 if form.errors else 200)


def _detail_context(request, mailing, send_form=None):
    context = {"mailing": mailing, "send_form": send_form or SendForm(),
               "can_send": request.user.has_perm(SEND)}
    if mailing.status in (Mailing.Status.DRAFT, Mailing.Status.QUEUED):
        context["audience_count"] = mailing.audience().count()
        subject, body = sending.compose(mailing, _Sample(request.user))
        context.update(preview_subject=subject, preview_text=body,
                       preview_html=render_markdown(body))
    else:
        counts = mailing.counts()
        context["counts"] = counts
        context["took_action"] = mailing.took_linked_action()
        status = request.GET.get("status", "")
        recipients = mailing.recipients.select_related("supporter").order_by("pk")
        if status in Recipient.Status.values:
            recipients = recipients.filter(status=status)
        context["status_filter"] = status
        context["statuses"] = Recipient.Status.choices
        context["page"] = Paginator(recipients, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return context


class _Sample:
    def __init__(self, user):
        self.name = user.get_full_name() or user.username


@staff_required
@require_safe
def mailing_detail(request, pk):
    mailing = get_mailing(pk)
    return render(request, "mailings/detail.html", _detail_context(request, mailing))


@staff_required
@require_POST
def mailing_test(request, pk):
    mailing = get_mailing(pk)
    if not request.user.email:
        messages.error(request, _("Your staff account has no email address to send a test to."))
    else:
        sending.queue_test(mailing, request.user)
        messages.success(request, _("A test is on its way to %(email)s.") % {"email": request.user.email})
    return redirect("mailings:detail", mailing.pk)


@staff_required(permission=SEND)
@require_POST
def mailing_send(request, pk):
    mailing = get_mailing(pk)
    form = SendForm(request.POST)
    if not form.is_valid():
            return render(request, "mailings/detail.html", _detail_context(request, mailing, form),
                      status=400)
    try:
        sending.schedule(mailing, request.user, form.cleaned_data["when"])
    except sending.NotAllowed as exc:
        messages.error(request, str(exc))
    return redirect("mailings:detail", mailing.pk)


@staff_required(permission=SEND)
@require_POST
def mailing_cancel(request, pk):
    mailing = get_mailing(pk)
    try:
        count = sending.cancel(mailing)
    except sending.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Cancelled: %(count)s copies will not be sent.") % {"count": count})
    return redirect("mailings:detail", mailing.pk)
