"""Campaign figures that stay fast at a million submissions.

Hours that are over are summed once into Tally rows (per country, referral code and
utm pair); the hour in progress is counted live from the submissions themselves (an
index range of at most an hour and a bit). Closed hours never change: submissions are
counted by the hour they were made, confirmations by the hour they were confirmed.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone

from clamour.actions.models import Submission

from .models import Tally, TallyMark

# An hour is closed this long after it ends: time for a transaction stamped in it to commit.
SETTLE = timedelta(minutes=2)
HOUR = timedelta(hours=1)


def floor_hour(moment: datetime) -> datetime:
    moment = moment.astimezone(dt_timezone.utc)
    return moment.replace(minute=0, second=0, microsecond=0)


def closed_until(now: datetime) -> datetime:
    """Hours before this (UTC, exclusive) are over and settled."""
    return floor_hour(now - SETTLE)


def _dimension_values(row: dict) -> list[tuple[str, str]]:
    values = [(Tally.Dimension.COUNTRY, row["country"])]
    if row["referral_code"]:
        values.append((Tally.Dimension.REFERRAL, row["referral_code"]))
    if row["utm_source"] or row["utm_campaign"]:
        values.append((Tally.Dimension.UTM, f"{row['utm_source']}|{row['utm_campaign']}"))
    return values


def _group(submissions, moment_field: str):
    """{(hour, dimension, value): n} for submissions grouped by the hour of `moment_field`."""
    counts = Counter()
    rows = (submissions.annotate(bucket=TruncHour(moment_field, tzinfo=dt_timezone.utc))
            .values("bucket", "country", "referral_code", "utm_source", "utm_campaign")
            .annotate(n=Count("pk")).order_by())
    for row in rows:
        for dimension, value in _dimension_values(row):
            counts[(row["bucket"], dimension, value)] += row["n"]
    return counts


def refresh(action, now=None) -> int:
    """Sum the hours of `action` that closed since the last refresh into Tally rows;
    returns how many rows were added. Safe to run at the same time as itself (the
    second one to commit changes nothing)."""
    until = closed_until(now or timezone.now())
    mark = TallyMark.objects.filter(action=action).first()
    start = mark.through if mark else None
    if start is not None and start >= until:
        return 0
    base = Submission.objects.filter(action=action)
    made = base.filter(created_at__lt=until)
    confirmed = base.filter(confirmed_at__lt=until)
    if start is not None:
        made = made.filter(created_at__gte=start)
        confirmed = confirmed.filter(confirmed_at__gte=start)
    submitted_counts = _group(made, "created_at")
    confirmed_counts = _group(confirmed.filter(status=Submission.Status.CONFIRMED), "confirmed_at")
    rows = [
        Tally(action=action, hour=hour, dimension=dimension, value=value[:140],
              submitted=submitted_counts.get(key, 0), confirmed=confirmed_counts.get(key, 0))
        for key in submitted_counts.keys() | confirmed_counts.keys()
        for hour, dimension, value in [key]
    ]
    try:
        with transaction.atomic():
            if mark is None:
                TallyMark.objects.create(action=action, through=until)
            elif not TallyMark.objects.filter(action=action, through=start).update(through=until):
                return 0  # another refresh got there first
            Tally.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:  # another first refresh made the mark at the same moment
        return 0
    return len(rows)


@dataclass
class Figures:
    """One action's figures as the dashboard shows them."""

    submitted: int = 0
    confirmed: int = 0
    by_hour: dict = field(default_factory=dict)  # hour (UTC) → submitted in it
    by_country: Counter = field(default_factory=Counter)  # country → submitted
    confirmed_by_country: Counter = field(default_factory=Counter)
    referrals: Counter = field(default_factory=Counter)  # code → submissions it brought
    utm: Counter = field(default_factory=Counter)  # (source, campaign) → submissions

    @property
    def confirmation_rate(self):
        return round(100 * self.confirmed / self.submitted) if self.submitted else None


def figures(action, now=None) -> Figures:
    """Everything the dashboard counts: closed hours from Tally, the rest live."""
    now = now or timezone.now()
    refresh(action, now)
    mark = TallyMark.objects.filter(action=action).values_list("through", flat=True).first()
    result = Figures(by_hour=defaultdict(int))
    for row in (Tally.objects.filter(action=action)
                .values_list("hour", "dimension", "value", "submitted", "confirmed")):
        _add(result, *row)
    live = Submission.objects.filter(action=action)
    live_made = live.filter(created_at__gte=mark) if mark else live
    live_confirmed = live.filter(status=Submission.Status.CONFIRMED)
    live_confirmed = live_confirmed.filter(confirmed_at__gte=mark) if mark else live_confirmed
    submitted = _group(live_made, "created_at")
    confirmed = _group(live_confirmed, "confirmed_at")
    for key in submitted.keys() | confirmed.keys():
        _add(result, *key, submitted.get(key, 0), confirmed.get(key, 0))
    result.by_hour = dict(sorted(result.by_hour.items()))
    return result


def _add(result: Figures, hour, dimension, value, submitted, confirmed):
    if dimension == Tally.Dimension.COUNTRY:
        result.submitted += submitted
        result.confirmed += confirmed
        result.by_country[value] += submitted
        result.confirmed_by_country[value] += confirmed
        if submitted:
            result.by_hour[hour] += submitted
    elif dimension == Tally.Dimension.REFERRAL:
        result.referrals[value] += submitted
    else:
        source, _sep, campaign = value.partition("|")
        result.utm[(source, campaign)] += submitted


def overview(actions, now=None) -> dict:
    """{action id: {"total", "confirmed", "rate", "today", "last_hour"}} for the overview."""
    now = now or timezone.now()
    midnight = floor_hour(timezone.localtime(now).replace(hour=0, minute=0, second=0,
                                                           microsecond=0))
    found = {}
    for action in actions:
        numbers = figures(action, now)
        found[action.pk] = {
            "total": numbers.submitted,
            "confirmed": numbers.confirmed,
            "rate": numbers.confirmation_rate,
            "today": sum(n for hour, n in numbers.by_hour.items() if hour >= midnight),
            "last_hour": 0,
        }
    if found:
        for pk, n in (Submission.objects.filter(action__in=list(found), created_at__gte=now - HOUR)
                      .values_list("action").annotate(n=Count("pk")).order_by()):
            found[pk]["last_hour"] = n
    return found
