"""The campaign page: the campaign with its action's form, so it lives with the actions
(campaigns sits below actions and cannot import their form). Its address keeps the
campaigns name (`campaigns:detail`): clamour/urls.py puts it in that namespace."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from clamour.campaigns.views import campaign_and_targets, get_campaign_for
from clamour.core.speed.pagecache import cached_page, is_anonymous_visit, shared_page_context
from clamour.lib.countries import COUNTRIES, country_name
from clamour.lib.letters import fill_known

from .forms import SubmissionForm, clean_tracking_value
from .letters import letter_for, stand_ins

REF_PLACEHOLDER = "__clamour_referral_code__"
UTM_SOURCE_PLACEHOLDER = "__clamour_utm_source__"
UTM_CAMPAIGN_PLACEHOLDER = "__clamour_utm_campaign__"


@require_safe
def campaign_detail(request, slug):
    ref = clean_referral_code(request.GET.get("ref", ""))
    # Where the supporter came from travels with the form, to be stored with the action.
    utm = {"utm_source": clean_tracking_value(request.GET.get("utm_source", "")),
           "utm_campaign": clean_tracking_value(request.GET.get("utm_campaign", ""))}
    # ?country=FR (a link from the treaty tracker's map) picks the supporter's country.
    country = request.GET.get("country", "").upper()
    country = country if country in COUNTRIES else ""
    if is_anonymous_visit(request):
        placeholders = {"utm_source": UTM_SOURCE_PLACEHOLDER,
                        "utm_campaign": UTM_CAMPAIGN_PLACEHOLDER}
        return cached_page(
            request, f"campaign:{slug}",
            lambda: campaign_page(request, slug, REF_PLACEHOLDER, cacheable=True,
                                  country=country, utm=placeholders),
            {REF_PLACEHOLDER: ref, UTM_SOURCE_PLACEHOLDER: utm["utm_source"],
             UTM_CAMPAIGN_PLACEHOLDER: utm["utm_campaign"]},
            variant=page_variant(request, country),
        )
    return campaign_page(request, slug, ref, country=country, utm=utm)


def page_variant(request, country: str) -> str:
    """Which cached copy of the campaign page a query string asks for: a country code
    already checked against the list, and newest comments first or not. Any other value
    is the plain page, so there are at most two copies per country."""
    newest = request.GET.get("comments") == "newest"  # as the comment thread reads it
    return ":".join(part for part in (country, "newest" if newest else "") if part)


def clean_referral_code(value: str) -> str:
    value = value.strip()[:16]
    return value if value.replace("-", "").replace("_", "").isalnum() else ""


def campaign_page(request, slug, ref, cacheable=False, country="", utm=None):
    campaign = get_campaign_for(request, slug)
    action = getattr(campaign, "action", None)
    if action is not None:
        action = action.localised(get_language(), campaign.language)
    form = None
    if action is not None and action.is_open():
        form = SubmissionForm(action=action, targets=campaign_and_targets(slug)[1],
                              initial={"ref": ref, "country": country, **(utm or {})})
    response = render_campaign(request, campaign, form,
                               shared=cacheable and campaign.is_public())
    if not campaign.is_public():
        response["Cache-Control"] = "private, no-store"
    return response


def render_campaign(request, campaign, form, status=200, notice=None, shared=False):
    """The campaign page; the action views call it to show a form with its errors."""
    campaign = campaign.localised(get_language())
    action = getattr(campaign, "action", None)
    if action is not None:
        action = action.localised(get_language(), campaign.language)
    targets = campaign_and_targets(campaign.slug)[1] if action is not None else []
    context = {
        "campaign": campaign,
        "action": action,
        "updates": [update.localised(get_language(), campaign.language)
                    for update in campaign.updates.published()],
        "form": form,
        "targets": targets,
        "targets_by_country": targets_by_country(action, targets) if action else {},
        "letter": form.letter() if form is not None else None,
        "letter_start": letter_start(action, targets) if form is not None and action.is_letter else None,
        "count": action.public_count() if action else 0,
        "notice": notice,
        "is_open": action.is_open() if action else False,
        # Staff (never the cached page) are told when this language has no text of its own.
        "texts_missing": not shared and request.user.is_staff and (
            campaign.shown_language != get_language()
            or (action is not None and action.shown_language != get_language())),
    }
    if shared:
        context.update(shared_page_context())
    return render(request, "campaigns/detail.html", context, status=status)


def targets_by_country(action, targets) -> dict:
    """{"GB": [{"name", "title", "country"}, …], "*": [defaults]} for the page script
    that shows a supporter who their letter goes to as soon as they pick their country,
    and fills the letter in for them."""
    found = {}
    for target in targets:
        about = {"name": target.name, "title": target.title, "language": target.language,
                 "country": country_name(target.country, get_language()) if target.country else ""}
        if target.country:
            found.setdefault(target.country, []).append(about)
        if target.is_default and action.fallback == action.Fallback.DEFAULT_TARGET:
            found.setdefault("*", []).append(about)
    return found


def letter_start(action, targets) -> dict:
    """The letter before any choice, and the words shown for what is not known yet:
    the page script fills it in again when the supporter changes their country."""
    start = letter_for(action, targets=targets)
    # The letter in each recipient's language the action has it in, for the script to
    # start from when the recipient chosen by country has one.
    in_languages = {}
    for language in {target.language for target in targets if target.language}:
        letter = action.letter_in(language)
        if letter is not None:
            in_languages[language] = {
                "subject": fill_known(letter[0], {}, stand_ins()),
                "body": fill_known(letter[1], {}, stand_ins()),
            }
    return {"subject": start.subject, "body": start.body, "words": stand_ins(),
            "fixed": action.targeting != action.Targeting.COUNTRY, "letters": in_languages}
