"""The world map of government positions: an SVG drawn on the server from vendored
Natural Earth shapes (`data/world-110m.json`, made by `data/make_world_map.py`).

No script and nothing fetched from elsewhere: each country is one <path>, coloured by a
CSS class for its position; countries with a position are links to their page and have a
<title> naming them and their position. The table beside the map says the same in text.
"""

import json
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DATA = Path(__file__).resolve().parent / "data" / "world-110m.json"


@lru_cache(maxsize=1)
def shapes() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def on_map(code: str) -> bool:
    return code in shapes()["countries"]


def render(
    *,
    stances: dict[str, str],
    labels: dict[str, str],
    links: dict[str, str],
    title: str,
    description: str,
) -> SafeString:
    """`stances`: {"FR": "supports", …}; `labels`: {"FR": "France: supports"};
    `links`: {"FR": "/treaties/att/positions/FR/"}."""
    data = shapes()
    parts = [
        # A group, not an image: it holds a link per country with a position, each
        # reachable by keyboard and named ("France: Supports"); the shapes without a
        # position are hidden from screen readers (the table lists every position).
        f'<svg class="world-map" viewBox="{data["viewBox"]}" role="group" '
        f'aria-labelledby="map-title" aria-describedby="map-desc" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>'
        # Opposing countries are hatched as well as red, so they stand out without colour.
        '<defs><pattern id="hatch-opposes" patternUnits="userSpaceOnUse" width="40" height="40" '
        'patternTransform="rotate(45)"><rect width="40" height="40" class="hatch-bg"/>'
        '<rect width="14" height="40" class="hatch-line"/></pattern></defs>'
    ]
    linked = []
    for shape in data["unassigned"]:
        parts.append(f'<path class="pos-none" aria-hidden="true" d="{shape["d"]}"/>')
    for code, shape in data["countries"].items():
        stance = stances.get(code)
        if stance is None:
            parts.append(
                f'<path class="pos-none" aria-hidden="true" d="{shape["d"]}">'
                f'<title>{escape(shape["name"])}</title></path>'
            )
            continue
        label = escape(labels.get(code, shape["name"]))
        path = (
            f'<path class="pos-{escape(stance)}" data-country="{code}" d="{shape["d"]}">'
            f"<title>{label}</title></path>"
        )
        link = links.get(code)
        if link:
            linked.append(f'<a href="{escape(link)}" aria-label="{label}">{path}</a>')
        else:
            parts.append(f'<g role="img" aria-label="{label}">{path}</g>')
    # Links last: drawn over their neighbours, a focused country's ring shows whole.
    parts += linked
    parts.append("</svg>")
    return mark_safe("".join(parts))
