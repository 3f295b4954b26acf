"""Charts drawn on the server as inline SVG: no script, no third-party code. Each chart
is decorative beside a table that gives the same figures in text (the templates put
the table next to it), so the SVG carries a short title and description only."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28
HOURLY_SPAN = timedelta(hours=72)


def buckets(by_hour: dict[datetime, int], start: datetime, now: datetime) -> tuple[str, list]:
    """("hour" | "day", [(bucket start, count)]): per hour while the campaign is under
    three days old (a spike), per day (local time) after that. Empty buckets included."""
    if not by_hour and start is None:
        return "day", []
    first = min([start, *by_hour]) if start else min(by_hour)
    if now - first <= HOURLY_SPAN:
        hour = first.replace(minute=0, second=0, microsecond=0)
        found = []
        while hour <= now:
            found.append((hour, by_hour.get(hour, 0)))
            hour += timedelta(hours=1)
        return "hour", found
    per_day: dict = {}
    for hour, n in by_hour.items():
        day = timezone.localtime(hour).date()
        per_day[day] = per_day.get(day, 0) + n
    day, last = timezone.localtime(first).date(), timezone.localtime(now).date()
    found = []
    while day <= last:
        found.append((day, per_day.get(day, 0)))
        day += timedelta(days=1)
    return "day", found


def _frame(title: str, description: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>",
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>',
    ]


def _y(value, top_value) -> float:
    span = HEIGHT - TOP - BOTTOM
    return round(HEIGHT - BOTTOM - span * (value / top_value if top_value else 0), 1)


def _label_y(parts, top_value):
    parts.append(f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top_value:,}</text>')
    parts.append(f'<text class="tick" x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>')


def _x_labels(parts, series, step_x, fmt):
    if not series:
        return
    for index in sorted({0, len(series) - 1}):
        anchor = "start" if index == 0 else "end"
        x = LEFT + index * step_x + (0 if index == 0 else step_x)
        parts.append(f'<text class="tick" x="{round(x, 1)}" y="{HEIGHT - 8}" '
                     f'text-anchor="{anchor}">{escape(fmt(series[index][0]))}</text>')


def bar_chart(series: list, title: str, description: str, fmt) -> SafeString:
    """Bars of (bucket, count)."""
    parts = _frame(title, description)
    top_value = max([n for _b, n in series] + [1])
    step_x = (WIDTH - LEFT - RIGHT) / max(1, len(series))
    for index, (_bucket, n) in enumerate(series):
        if n:
            y = _y(n, top_value)
            parts.append(f'<rect class="bar" x="{round(LEFT + index * step_x + step_x * 0.1, 1)}" '
                         f'y="{y}" width="{round(max(step_x * 0.8, 0.5), 1)}" '
                         f'height="{round(HEIGHT - BOTTOM - y, 1)}"/>')
    _label_y(parts, top_value)
    _x_labels(parts, series, step_x, fmt)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def cumulative_chart(series: list, goal: int, deadline_index, title: str, description: str,
                     fmt) -> SafeString:
    """The running total of (bucket, count) as a line, the goal as a dashed line and
    the deadline (the index of its bucket, or None) as a vertical mark."""
    parts = _frame(title, description)
    running, points = 0, []
    for _bucket, n in series:
        running += n
        points.append(running)
    top_value = max([goal or 0, running, 1])
    step_x = (WIDTH - LEFT - RIGHT) / max(1, len(series))
    if goal:
        y = _y(goal, top_value)
        parts.append(f'<line class="goal" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>')
        parts.append(f'<text class="tick" x="{WIDTH - RIGHT}" y="{y - 4}" text-anchor="end">'
                     f"goal {goal:,}</text>")
    if points:
        coords = " ".join(f"{round(LEFT + (i + 1) * step_x, 1)},{_y(v, top_value)}"
                          for i, v in enumerate(points))
        parts.append(f'<polyline class="total" points="{LEFT},{HEIGHT - BOTTOM} {coords}"/>')
    if deadline_index is not None:
        x = round(LEFT + deadline_index * step_x, 1)
        parts.append(f'<line class="deadline" x1="{x}" y1="{TOP}" x2="{x}" y2="{HEIGHT - BOTTOM}"/>')
        parts.append(f'<text class="tick" x="{x - 4}" y="{TOP + 12}" text-anchor="end">deadline</text>')
    _label_y(parts, top_value)
    _x_labels(parts, series, step_x, fmt)
    parts.append("</svg>")
    return mark_safe("".join(parts))
