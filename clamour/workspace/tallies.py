"""Campaign figures that stay fast at a million submissions.

Hours that are over are summed once into Tally rows: per hour, and per country,
referral code and utm pair for the whole stretch summed at once. What happened since
the last closed hour is counted live from the submissions themselves (an index range
of an hour or two). Closed hours never change: submissions are counted by the hour
they were made, confirmations by the hour they were confirmed.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Func, Q, Sum, TextField
from django.db.models.functions import TruncHour
from django.utils import timezone

from clamour.actions.models import Action, Submission

from .models import Tally, TallyMark

# An hour is closed this long after it ends: time for a transaction stamped in it to commit.
SETTLE = timedelta(minutes=2)
HOUR = timedelta(hours=1)
TOP = 10

COUNTRY, REFERRAL, UTM, HOURS = (Tally.Dimension.COUNTRY, Tally.Dimension.REFERRAL,
                                 Tally.Dimension.UTM, Tally.Dimension.HOUR)


def floor_hour(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def closed_until(now: datetime) -> datetime:
    """Hours before this (UTC, exclusive) are over and settled."""
    return floor_hour(now - SETTLE)


class _SqliteHour(Func):
    """The UTC hour of a datetime column as SQLite stores it ("2026-11-29 16"), in SQL:
    Django's TruncHour runs a Python function per row there."""

    function = "substr"
    template = "substr(%(expressions)s, 1, 13)"
    output_field = TextField()


def _hour_expression(name):
    return _SqliteHour(F(name)) if connection.vendor == "sqlite" else \
        TruncHour(name, tzinfo=UTC)


def _as_hour(value) -> datetime:
    if isinstance(value, str):
        return datetime.strptime(value, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _utm_value(source, campaign) -> str:
    return f"{source}|{campaign}"


def _count(submitted, confirmed, detail=True) -> dict:
    """{(dimension, value or hour): [submitted, confirmed]} for two querysets of one range;
    without `detail`, the hours only."""
    found = {}

    def add(key, index, n):
        found.setdefault(key, [0, 0])[index] += n

    for index, (rows, moment) in enumerate(((submitted, "created_at"), (confirmed, "confirmed_at"))):
        for bucket, n in (rows.annotate(bucket=_hour_expression(moment)).values_list("bucket")
                          .annotate(n=Count("pk")).order_by()):
            add((HOURS, _as_hour(bucket)), index, n)
        if not detail:
            continue
        for country, n in rows.values_list("country").annotate(n=Count("pk")).order_by():
            add((COUNTRY, country), index, n)
        for code, n in (rows.exclude(referral_code="").values_list("referral_code")
                        .annotate(n=Count("pk")).order_by()):
            add((REFERRAL, code), index, n)
        for source, campaign, n in (rows.exclude(utm_source="", utm_campaign="")
                                    .values_list("utm_source", "utm_campaign")
                                    .annotate(n=Count("pk")).order_by()):
            add((UTM, _utm_value(source, campaign)), index, n)
    return found


def _ranges(action, start, until):
    base = Submission.objects.filter(action=action)
    made = base.filter(created_at__lt=until) if until else base
    # Confirmed ones by their confirmation time alone (set together with the status):
    # a range of the (action, confirmed_at) index, whatever the planner's statistics say.
    confirmed = base.filter(confirmed_at__lt=until) if until else \
        base.filter(confirmed_at__isnull=False)
    if start is not None:
        made = made.filter(created_at__gte=start)
        confirmed = confirmed.filter(confirmed_at__gte=start)
    return made, confirmed


def refresh(action, now=None) -> int:
    """Sum the hours of `action` that closed since the last refresh into Tally rows;
    returns how many rows were added. Safe to run at the same time as itself (the
    second one to commit changes nothing)."""
    until = closed_until(now or timezone.now())
    mark = TallyMark.objects.filter(action=action).first()
    start = mark.through if mark else None
    if start is not None and start >= until:
        return 0
    counts = _count(*_ranges(action, start, until))
    rows = [
        Tally(action=action, hour=key if dimension == HOURS else until, dimension=dimension,
              value="" if dimension == HOURS else key[:140], submitted=n[0], confirmed=n[1])
        for (dimension, key), n in counts.items()
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
    referrals: Counter = field(default_factory=Counter)  # the top codes → submissions brought
    referred: int = 0  # all submissions that came through a referral
    utm: Counter = field(default_factory=Counter)  # (source, campaign) → submissions

    @property
    def confirmation_rate(self):
        return round(100 * self.confirmed / self.submitted) if self.submitted else None


def figures(action, now=None, top=TOP, detail=True) -> Figures:
    """Everything the dashboard counts: closed hours from Tally, the rest live. Without
    `detail`, the totals and hours only (for the overview)."""
    now = now or timezone.now()
    refresh(action, now)
    mark = TallyMark.objects.filter(action=action).values_list("through", flat=True).first()
    result = Figures()
    by_hour = Counter()
    tallies = Tally.objects.filter(action=action)
    for hour, submitted, confirmed in tallies.filter(dimension=HOURS).values_list(
            "hour", "submitted", "confirmed"):
        by_hour[_as_hour(hour)] += submitted
        result.submitted += submitted
        result.confirmed += confirmed
    live = _count(*_ranges(action, mark, None), detail=detail)
    if detail:
        _add_details(result, tallies, top)
    for (dimension, key), (submitted, confirmed) in live.items():
        if dimension == HOURS:
            by_hour[key] += submitted
            result.submitted += submitted
            result.confirmed += confirmed
        elif dimension == REFERRAL:
            result.referrals[key] += submitted
            result.referred += submitted
        else:
            _add(result, dimension, key, submitted, confirmed)
    result.by_hour = {hour: n for hour, n in sorted(by_hour.items()) if n}
    result.referrals = Counter(dict(result.referrals.most_common(top)))
    return result


def _add_details(result, tallies, top):
    sums = {"s": Sum("submitted"), "c": Sum("confirmed")}
    for dimension, value, submitted, confirmed in (
            tallies.filter(dimension__in=[COUNTRY, UTM]).values_list("dimension", "value")
            .annotate(**sums).order_by()):
        _add(result, dimension, value, submitted, confirmed)
    # The top referrers: more than asked from the tallies, in case the live hour
    # changes the order near the bottom.
    for value, submitted, _confirmed in (
            tallies.filter(dimension=REFERRAL).values_list("value").annotate(**sums)
            .order_by("-s")[:top * 5]):
        result.referrals[value] += submitted
    result.referred = tallies.filter(dimension=REFERRAL).aggregate(n=Sum("submitted"))["n"] or 0


def _add(result: Figures, dimension, value, submitted, confirmed):
    if dimension == COUNTRY:
        result.by_country[value] += submitted
        result.confirmed_by_country[value] += confirmed
    elif dimension == UTM:
        source, _sep, campaign = value.partition("|")
        result.utm[(source, campaign)] += submitted


def overview(actions, now=None) -> dict:
    """{action id: {"total", "confirmed", "rate", "today", "last_hour"}} for the overview."""
    now = now or timezone.now()
    midnight = floor_hour(timezone.localtime(now).replace(hour=0, minute=0, second=0,
                                                           microsecond=0))
    found = {}
    for action in actions:
        numbers = figures(action, now, detail=False)
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


def refresh_all(now=None) -> int:
    """Refresh the tallies of every action that is still open or was open in the last
    day (the worker does this every minute); returns the rows added."""
    now = now or timezone.now()
    open_ones = Action.objects.exclude(campaign__status="draft").filter(
        Q(deadline__isnull=True) | Q(deadline__gte=now - timedelta(days=1)))
    return sum(refresh(action, now) for action in open_ones)
