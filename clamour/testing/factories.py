"""Small builders for test data, with sensible defaults a test can override."""

from datetime import timedelta

from django.utils import timezone

from clamour.actions.models import Action, Target
from clamour.campaigns.models import Campaign, Update

LETTER = (
    "Please stand firm for a strong treaty that covers all ammunition and includes a "
    "binding human-rights test. Lives depend on it."
)


def make_campaign(slug="att", *, status=Campaign.Status.LIVE, kind=Action.Kind.LETTER,
                  targeting=Action.Targeting.FIXED, fallback=Action.Fallback.REJECT,
                  require_confirmation=True, deadline_in=timedelta(days=3), **action_fields):
    campaign = Campaign.objects.create(
        slug=slug, title=f"Campaign {slug}", summary="A strong treaty, now.",
        story="The **story** of the campaign.", status=status,
    )
    action_fields = {"letter_subject": "A strong treaty, {target_title}",
                     "letter_template": LETTER, **action_fields}
    Action.objects.create(
        campaign=campaign, kind=kind, title="Write to your government",
        petition_text="We call for a strong treaty.", goal=100,
        deadline=timezone.now() + deadline_in if deadline_in is not None else None,
        require_confirmation=require_confirmation, targeting=targeting, fallback=fallback,
        **action_fields,
    )
    return campaign


def add_target(campaign, *, name="Alex Example", title="Foreign Secretary",
               email="foreign.secretary@example.org", country="", is_default=False):
    return Target.objects.create(action=campaign.action, name=name, title=title, email=email,
                                 country=country, is_default=is_default)


def add_update(campaign, *, days_ago=1, title="News", body="Something happened."):
    return Update.objects.create(campaign=campaign, title=title, body=body,
                                 published_at=timezone.now() - timedelta(days=days_ago))


def letter_post(campaign, **overrides):
    data = {
        "name": "Sam Supporter",
        "email": "sam@example.net",
        "country": "GB",
        "subject": campaign.action.letter_subject,
        "body": campaign.action.letter_template,
        "consent": "on",
        "consent_digest": "",
        "ref": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
