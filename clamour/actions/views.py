from types import SimpleNamespace

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clamour.campaigns.views import campaign_and_targets, get_campaign_for
from clamour.core import ratelimit
from clamour.core.confirm import confirm_by_button
from clamour.core.http import client_ip
from clamour.core.middleware import overloaded
from clamour.core.origin import same_origin_only
from clamour.core.speed.groupcommit import Overloaded, committer
from clamour.lib.iphash import ip_key
from clamour.lib.sharing import share_links

from .forms import SubmissionForm
from .page import render_campaign
from .submissions import (
    AlreadyTookPart,
    confirm_submission,
    record_submissions,
    request_resend,
    submission_from_thanks_token,
    submission_from_token,
    thanks_token,
)


def get_action_for(request, slug):
    campaign = get_campaign_for(request, slug)
    action = getattr(campaign, "action", None)
    if action is None:
        raise Http404("This campaign has no action")
    # In the page's language: its form, its consent question and the letter it starts.
    return campaign, action.localised(get_language(), campaign.language)


@same_origin_only  # the form is on the page cached for everyone: no per-visitor token
@require_POST
def submit(request, slug):
    campaign, action = get_action_for(request, slug)
    if not action.is_open():
        return render_campaign(
            request, campaign, None, status=410,
            notice=_("This action has closed, so we could not accept your submission. "
                     "Thank you for wanting to help."),
        )
    if wait := ratelimit.wait("submit-ip", ip_key(client_ip(request)), settings.SUBMIT_RATE_PER_IP):
        return too_many(request, campaign, wait)
    form = SubmissionForm(request.POST, action=action, targets=campaign_and_targets(slug)[1])
    if not form.is_valid():
        return render_campaign(request, campaign, form, status=400)
    if wait := ratelimit.wait("submit-email", form.cleaned_data["email"],
                              settings.SUBMIT_RATE_PER_EMAIL):
        return too_many(request, campaign, wait)
    try:
        # The page's language is the person's: their emails are written in it.
        submission = committer.run_batched(record_submissions, action,
                                           {**form.cleaned_data, "language": get_language()})
    except Overloaded:
        return overloaded()
    except AlreadyTookPart as exc:
        # The same answer as for a new address: whether an address took part is told
        # only to its owner, by the email queued with the batch.
        token = thanks_token(exc.submission, typed_name=form.cleaned_data["name"])
        return redirect("actions:thanks", slug=campaign.slug, token=token)
    return redirect("actions:thanks", slug=campaign.slug, token=thanks_token(submission))


def too_many(request, campaign, wait):
    return ratelimit.too_many(request, wait, "actions/too_many.html", {"campaign": campaign})


def get_thanks_for(request, slug, token):
    """The campaign, its action, the submission a thank-you link is for and what to show
    of it (a new supporter's view when the address had taken part already)."""
    campaign, action = get_action_for(request, slug)
    submission, typed_name = submission_from_thanks_token(token)
    if submission is None or submission.action_id != action.pk:
        raise Http404("No such submission")
    shown = submission
    if typed_name is not None:
        shown = SimpleNamespace(name=typed_name, email=submission.email,
                                is_confirmed=not action.require_confirmation)
    return campaign, action, submission, shown


@require_safe
def thanks(request, slug, token):
    campaign, action, submission, shown = get_thanks_for(request, slug, token)
    campaign = campaign.localised(get_language())
    share_url = settings.SITE_URL + reverse("campaigns:detail", args=[campaign.slug]) + \
        f"?ref={submission.supporter.referral_code}"
    share_text = _("I just took action: %(title)s. It takes four minutes. Join me:") % {
        "title": campaign.title}
    return render(request, "actions/thanks.html", {
        "campaign": campaign,
        "action": action,
        "submission": shown,
        "token": token,
        "resent": "resent" in request.GET,
        "count": action.public_count(),
        "share_url": share_url,
        "share_text": share_text,
        "share_links": share_links(share_url, share_text, campaign.title),
    })


@require_POST
def resend(request, slug, token):
    """Send the confirmation email again, to the address only. The answer is the same
    whatever the submission's state, so it tells nothing to whoever is asking."""
    campaign, action, submission, shown = get_thanks_for(request, slug, token)
    if wait := ratelimit.wait("resend-ip", ip_key(client_ip(request)), settings.SUBMIT_RATE_PER_IP):
        return too_many(request, campaign, wait)
    request_resend(submission)
    return redirect(reverse("actions:thanks", args=[campaign.slug, token]) + "?resent=1#resend")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button; only the POST confirms, so link-following mail scanners can't."""

    def page(submission, closed=False, status=200):
        return render(request, "actions/confirm.html", {
            "submission": submission,
            "campaign": submission.action.campaign.localised(get_language()),
            "closed": closed, "done": closed or submission.is_confirmed,
        }, status=status)

    def press(submission):
        if not submission.is_confirmed and not submission.action.is_open():
            return page(submission, closed=True, status=410)
        confirm_submission(submission)
        return redirect("actions:thanks", slug=submission.action.campaign.slug,
                        token=thanks_token(submission))

    return confirm_by_button(request, token, find=submission_from_token, show=page, confirm=press,
                             invalid={
                                 "again": _("Please take the action again and we will send you "
                                            "a new one."),
                                 "back_url": reverse("campaigns:home"),
                                 "back_label": _("See our campaigns"),
                             })
