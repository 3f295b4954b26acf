"""Demo activity for the workspace: a few thousand clearly labelled demo actions spread
over the last days and many countries, so the dashboards of `make demo` have something
to show. Every demo supporter is "Demo supporter N" at demo.example.org.

Safe to run again: it adds only what is missing (up to `count` per campaign).
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clamour.actions.models import Action, Delivery, Submission
from clamour.actions.targeting import NoTarget, resolve_targets
from clamour.supporters.models import Supporter

DEMO_DOMAIN = "demo.example.org"
# Countries weighted roughly as a European NGO's list would be.
COUNTRY_WEIGHTS = {"GB": 30, "FR": 14, "DE": 14, "US": 10, "BR": 6, "KE": 5, "IN": 5, "MX": 4,
                   "ES": 4, "IT": 4, "NL": 3, "SE": 2, "NG": 2, "ZA": 2, "EG": 1, "JP": 1,
                   "AU": 2, "CA": 3}
SOURCES = [("", ""), ("", ""), ("", ""), ("newsletter", "att-launch"), ("mastodon", "att-launch"),
           ("partner-site", "att-week2")]


def _demo_email(action, n):
    return f"demo-{action.pk}-{n}@{DEMO_DOMAIN}"


@transaction.atomic
def seed_demo_actions(count: int = 3000, days: int = 5, seed: int = 13) -> int:
    """Add demo submissions (and their letters) to the demo campaigns' actions until
    each has `count` demo ones; returns how many were added."""
    rng = random.Random(seed)
    now = timezone.now()
    countries, weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    added = 0
    for action in Action.objects.select_related("campaign").filter(
            campaign__slug__in=["arms-trade-treaty", "close-the-ammunition-loophole"]):
        have = Submission.objects.filter(action=action, email__endswith="@" + DEMO_DOMAIN).count()
        wanted = range(have, count)
        if not wanted:
            continue
        targets = list(action.targets.all())
        supporters = [Supporter(email=_demo_email(action, n), name=f"Demo supporter {n}",
                                country=rng.choices(countries, weights)[0]) for n in wanted]
        Supporter.objects.bulk_create(supporters, ignore_conflicts=True)
        known = {s.email: s for s in Supporter.objects.filter(
            email__in=[s.email for s in supporters])}
        codes = [s.referral_code for s in list(known.values())[:40]]
        submissions = []
        for n in wanted:
            supporter = known[_demo_email(action, n)]
            # More actions soon after launch and on the latest day, fewer in between.
            hours_ago = min(days * 24 - 1, rng.expovariate(1 / (days * 6))) \
                if rng.random() < 0.7 else rng.uniform(0, days * 24)
            created = now - timedelta(hours=hours_ago)
            confirmed = rng.random() < 0.82
            source, campaign = rng.choice(SOURCES)
            submissions.append(Submission(
                action=action, supporter=supporter, name=supporter.name, email=supporter.email,
                country=supporter.country, subject=action.letter_subject,
                body=action.letter_template if action.is_letter else "",
                consent_given=rng.random() < 0.6, consent_wording=action.consent_wording,
                referral_code=rng.choice(codes) if codes and rng.random() < 0.15 else "",
                utm_source=source, utm_campaign=campaign,
                status=Submission.Status.CONFIRMED if confirmed else Submission.Status.PENDING,
                created_at=created,
                confirmed_at=min(now, created + timedelta(minutes=rng.uniform(1, 90)))
                if confirmed else None,
            ))
        Submission.objects.bulk_create(submissions, batch_size=500)
        if action.is_letter:
            _demo_letters(action, targets, rng)
        added += len(submissions)
    return added


def _demo_letters(action, targets, rng):
    """Letters for the confirmed demo letters: sent, a few waiting, a few failed. They are
    recorded as already handled, so nothing is mailed to the demo targets."""
    letters = []
    for submission in Submission.objects.filter(
            action=action, status=Submission.Status.CONFIRMED, email__endswith="@" + DEMO_DOMAIN,
            deliveries__isnull=True):
        try:
            resolution = resolve_targets(action, submission.country, targets=targets)
        except NoTarget:
            continue
        roll = rng.random()
        status = Delivery.Status.FAILED if roll < 0.01 else Delivery.Status.SENT
        for target in resolution.targets:
            letters.append(Delivery(
                submission=submission, target=target, to_name=target.name, to_email=target.email,
                status=status, attempts=1, sent_at=submission.confirmed_at
                if status == Delivery.Status.SENT else None,
                last_error="550 5.1.1 mailbox unavailable (demo)" if status == Delivery.Status.FAILED else ""))
    Delivery.objects.bulk_create(letters, batch_size=500, ignore_conflicts=True)
