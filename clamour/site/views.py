"""A supporter's account page, with what they did across the apps (actions, comments),
the download of everything held about them and the erasure of it: work that spans
apps, so it sits in the top layer. The addresses keep their names in the supporters
namespace (supporters:account, …): clamour/urls.py adds them there."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.supporters import accounts
from clamour.supporters.forms import (
    ALL_TOPIC_LABEL,
    COMMENT_REPLIES_LABEL,
    EmailPreferencesForm,
    EraseForm,
)
from clamour.supporters.models import EmailOptOut, PrivacyLogEntry
from clamour.supporters.privacy import log_privacy_action
from clamour.supporters.session import log_out
from clamour.supporters.views import supporter_required

from . import privacy


def email_topics(supporter, submissions, opted_out) -> list[tuple[str, str]]:
    topics = [(EmailOptOut.ALL, ALL_TOPIC_LABEL)]
    seen = {EmailOptOut.ALL}
    for submission in submissions:
        topic = submission.action.campaign.email_topic()
        if topic not in seen:
            seen.add(topic)
            title = submission.action.campaign.title
            topics.append((topic, _("About “%(title)s”") % {"title": title}))
    others = [("comment-replies", COMMENT_REPLIES_LABEL)] + [(t, t) for t in sorted(opted_out)]
    for topic, label in others:
        if topic not in seen:
            seen.add(topic)
            topics.append((topic, label))
    return topics


def _account_context(supporter):
    submissions = list(privacy.supporter_submissions(supporter))
    opted_out = set(supporter.opt_outs.values_list("topic", flat=True))
    topics = email_topics(supporter, submissions, opted_out)
    getting = {topic: supporter.may_email(topic) for topic, _label in topics}
    comments = privacy.supporter_comments(supporter)
    share_base = settings.SITE_URL + reverse("campaigns:home")
    return {
        "supporter": supporter,
        "submissions": submissions,
        "comments": list(comments[:50]),
        "consents": list(supporter.consents.order_by("-created_at", "-pk")),
        "referrals": privacy.referral_count(supporter),
        "share_base": share_base,
        "preferences": EmailPreferencesForm(
            topics=topics, initial={f"topic:{t}": getting[t] for t, _label in topics}),
        "getting": getting,
    }


@supporter_required
@require_safe
def account(request, supporter):
    return render(request, "supporters/account.html", _account_context(supporter))


@supporter_required
@require_POST
def email_preferences(request, supporter):
    context = _account_context(supporter)
    form = EmailPreferencesForm(request.POST, topics=context["preferences"].topics)
    if not form.is_valid():  # only checkboxes: cannot really happen
        context["preferences"] = form
        return render(request, "supporters/account.html", context, status=400)
    accounts.save_email_choices(supporter, form.wanted(), dict(form.topics), context["getting"])
    return redirect(reverse("supporters:account") + "?saved=1#email")


@supporter_required
@require_POST  # a button with the CSRF token: no link elsewhere can make an export
def export(request, supporter):
    data = privacy.export_supporter(supporter)
    log_privacy_action(PrivacyLogEntry.Kind.EXPORT, supporter, detail="self-service")
    return json_download(data, f"my-data-{timezone.now():%Y%m%d}.json")


def json_download(data, filename) -> HttpResponse:
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@supporter_required
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request, supporter):
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_supporter(supporter)
        log_out(request)
        return redirect("supporters:erased")
    return render(request, "supporters/erase.html", {"form": form, "supporter": supporter},
                  status=400 if form.errors else 200)
