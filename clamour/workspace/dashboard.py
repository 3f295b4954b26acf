"""What the workspace pages show about campaigns: read-only figures, gathered here so
the views stay short and the management commands can print the same."""

from collections import defaultdict

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format

from clamour.actions.models import Delivery
from clamour.campaigns.models import Campaign
from clamour.lib.countries import country_name
from clamour.supporters.models import Supporter
from clamour.treaties import worldmap

from . import charts, tallies

WAITING = (Delivery.Status.QUEUED, Delivery.Status.SENDING)
MAP_SHADES = 4


def letters_by_action(action_ids) -> dict:
    """{action id: {"waiting", "sent", "failed"}}: one query over the letters' index."""
    found = defaultdict(lambda: {"waiting": 0, "sent": 0, "failed": 0})
    for action_id, status, n in (Delivery.objects.filter(target__action__in=action_ids)
                                 .values_list("target__action", "status")
                                 .annotate(n=Count("pk")).order_by()):
        key = "waiting" if status in WAITING else status
        found[action_id][key] += n
    return found


def letters_by_target(action) -> list[dict]:
    """Per target of `action`: queued (or sending), sent and failed letters."""
    counts = defaultdict(lambda: {"waiting": 0, "sent": 0, "failed": 0})
    for target_id, status, n in (Delivery.objects.filter(target__action=action)
                                 .values_list("target", "status").annotate(n=Count("pk")).order_by()):
        counts[target_id]["waiting" if status in WAITING else status] += n
    return [{"target": target, **counts[target.pk]} for target in action.targets.all()]


def failed_letters(action, limit=50):
    return list(Delivery.objects.filter(target__action=action, status=Delivery.Status.FAILED)
                .select_related("target").order_by("-created_at")[:limit])


def _format_bucket(unit):
    if unit == "hour":
        return lambda moment: date_format(timezone.localtime(moment), "j M H:i")
    return lambda day: date_format(day, "j M")


def _deadline_index(series, unit, deadline):
    if deadline is None or not series:
        return None
    moment = timezone.localtime(deadline)
    key = moment.replace(minute=0, second=0, microsecond=0) if unit == "hour" else moment.date()
    for index, (bucket, _n) in enumerate(series):
        if (timezone.localtime(bucket) if unit == "hour" else bucket) >= key:
            return index
    return None


def campaign_dashboard(campaign, now=None) -> dict:
    """The context of a campaign's dashboard."""
    now = now or timezone.now()
    action = getattr(campaign, "action", None)
    if action is None:
        return {"campaign": campaign, "action": None}
    numbers = tallies.figures(action, now)
    unit, series = charts.buckets(numbers.by_hour, campaign.created_at, now)
    fmt = _format_bucket(unit)
    deadline_index = _deadline_index(series, unit, action.deadline)
    rows, running = [], 0
    for bucket, n in series:
        running += n
        rows.append({"label": fmt(bucket), "count": n, "total": running})
    countries = [
        {"code": code, "name": country_name(code), "submitted": n,
         "confirmed": numbers.confirmed_by_country.get(code, 0)}
        for code, n in numbers.by_country.most_common() if n
    ]
    top_referrals = numbers.referrals.most_common(10)
    names = dict(Supporter.objects.filter(referral_code__in=[code for code, _n in top_referrals])
                 .values_list("referral_code", "name"))
    return {
        "campaign": campaign,
        "action": action,
        "numbers": numbers,
        "unit": unit,
        "rows": rows,
        "bars": charts.bar_chart(
            series, f"Actions per {unit}",
            f"Actions taken per {unit}; the table below gives each figure.", fmt),
        "cumulative": charts.cumulative_chart(
            series, action.goal, deadline_index, "Total against the goal",
            "The running total of actions against the goal, with the deadline marked; "
            "the table below gives each figure.", fmt),
        "countries": countries,
        "map": world_map(numbers.by_country),
        "referrals": [{"code": code, "name": names.get(code, ""), "count": n}
                      for code, n in top_referrals],
        "referred": numbers.referred,
        "utm": [{"source": s, "campaign": c, "count": n} for (s, c), n in numbers.utm.most_common(10)],
        "targets": letters_by_target(action) if action.is_letter else [],
        "failed": failed_letters(action) if action.is_letter else [],
    }


def world_map(by_country) -> str:
    """The tracker's world map, each country shaded by its share of the busiest one."""
    busiest = max(by_country.values(), default=0)
    stances, labels = {}, {}
    for code, n in by_country.items():
        if n and worldmap.on_map(code):
            stances[code] = f"n{min(MAP_SHADES, 1 + (MAP_SHADES * n - 1) // busiest)}"
            labels[code] = f"{country_name(code)}: {n:,}"
    return worldmap.render(
        stances=stances, labels=labels, links={}, title="Supporters by country",
        description="Darker countries sent more actions; the table gives every figure.",
    )


def overview(now=None) -> list[dict]:
    """Every campaign with its figures, for /staff/."""
    now = now or timezone.now()
    campaigns = list(Campaign.objects.select_related("action").order_by("-created_at"))
    actions = [c.action for c in campaigns if getattr(c, "action", None)]
    figures = tallies.overview(actions, now)
    letters = letters_by_action([a.pk for a in actions])
    return [{
        "campaign": c,
        "action": getattr(c, "action", None),
        "figures": figures.get(getattr(getattr(c, "action", None), "pk", None)),
        "letters": letters.get(getattr(getattr(c, "action", None), "pk", None)),
    } for c in campaigns]
