"""Convert Natural Earth country shapes (world-atlas TopoJSON) into the compact SVG path
data the government-positions map is drawn from. Run once; the output is committed.

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python clamour/treaties/data/make_world_map.py package/countries-110m.json \
        /usr/share/iso-codes/json/iso_3166-1.json clamour/treaties/data/world-110m.json

Input: the TopoJSON `countries` object (ids are ISO 3166-1 numeric codes) and Debian's
iso-codes table (numeric → alpha-2). Output: JSON with the SVG `viewBox` and, per
ISO alpha-2 code, the country's name and one SVG path (`d`) in the Natural Earth I
projection, coordinates rounded to whole units of a 10000-wide box and written as
relative moves, so the whole world is about 80 KB. Antarctica is left out (nobody
negotiates for it, and it takes a third of the height). Shapes with no ISO code in the
source (N. Cyprus, Somaliland, Kosovo) are kept under `unassigned` so the map has no
holes; they are drawn grey and never coloured.

No third-party library: TopoJSON arcs are delta-encoded integers, which takes a few lines
to decode.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

WIDTH = 10000  # viewBox units; coordinates are integers at this scale
SKIP = {"010"}  # Antarctica


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič, Patterson, Jenny 2011), as in d3-geo."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)  # arcs share their end points
    return points


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make longitudes continuous: a ring crossing the antimeridian (Russia, Fiji) jumps
    from 180 to -180 in the source; unwrapped it runs on to 190."""
    out = [ring[0]]
    offset = 0.0
    for (plon, _), (lon, lat) in zip(ring, ring[1:]):
        if lon - plon > 180:
            offset -= 360
        elif lon - plon < -180:
            offset += 360
        out.append((lon + offset, lat))
    return out


def clip(ring: list[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clipping of a ring to lo <= longitude <= hi."""
    for inside, edge in ((lambda p: p[0] >= lo, lo), (lambda p: p[0] <= hi, hi)):
        if not ring:
            break
        out = []
        for a, b in zip(ring, ring[1:] + ring[:1]):
            if inside(b):
                if not inside(a):
                    out.append(cross(a, b, edge))
                out.append(b)
            elif inside(a):
                out.append(cross(a, b, edge))
        ring = out
    return ring


def cross(a, b, lon):
    t = (lon - a[0]) / (b[0] - a[0])
    return (lon, a[1] + t * (b[1] - a[1]))


def split_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    ring = unwrap(ring)
    if -180 <= min(p[0] for p in ring) and max(p[0] for p in ring) <= 180:
        return [ring]
    pieces = []
    for shift in (-360, 0, 360):
        piece = clip([(lon + shift, lat) for lon, lat in ring], -180, 180)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def main(topojson_path: str, iso_path: str, out_path: str) -> None:
    topology = json.loads(Path(topojson_path).read_text())
    iso = json.loads(Path(iso_path).read_text())["3166-1"]
    alpha2 = {row["numeric"]: row["alpha_2"] for row in iso}
    arcs = decode_arcs(topology)
    geometries = [
        g for g in topology["objects"]["countries"]["geometries"] if g.get("id") not in SKIP
    ]

    projected = []  # (key, name, [rings of projected points])
    for geometry in geometries:
        rings = [
            [natural_earth(lon, lat) for lon, lat in piece]
            for polygon in polygons(geometry)
            for ring in polygon
            for piece in split_at_antimeridian(ring_points(ring, arcs))
        ]
        projected.append((geometry.get("id"), geometry["properties"]["name"], rings))

    xs = [x for *_, rings in projected for ring in rings for x, _ in ring]
    ys = [y for *_, rings in projected for ring in rings for _, y in ring]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = WIDTH / (x1 - x0)
    height = math.ceil((y1 - y0) * scale)

    def path(rings) -> str:
        parts = []
        for ring in rings:
            pts = [(round((x - x0) * scale), round((y1 - y) * scale)) for x, y in ring]
            dedup = [pts[0]] + [p for prev, p in zip(pts, pts[1:]) if p != prev]
            if len(dedup) < 3:
                continue
            d = [f"M{dedup[0][0]} {dedup[0][1]}l"]
            moves = []
            for (ax, ay), (bx, by) in zip(dedup, dedup[1:]):
                moves.append(f"{bx - ax}{'' if by - ay < 0 else ' '}{by - ay}")
            # Compact SVG: a minus sign separates numbers by itself.
            text = ""
            for move in moves:
                text += move if (not text or move.startswith("-")) else " " + move
            parts.append(d[0] + text + "z")
        return "".join(parts)

    countries, unassigned = {}, []
    for numeric, name, rings in projected:
        code = alpha2.get(numeric or "")
        d = path(rings)
        if not d:
            continue
        if code is None:
            unassigned.append({"name": name, "d": d})
        else:
            countries[code] = {"name": name, "d": d}
    out = {
        "source": "world-atlas 2.0.2 countries-110m.json (Natural Earth 4.1.0, 1:110m admin-0)",
        "projection": "Natural Earth I",
        "viewBox": f"0 0 {WIDTH} {height}",
        "countries": dict(sorted(countries.items())),
        "unassigned": unassigned,
    }
    Path(out_path).write_text(json.dumps(out, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(
        f"{len(countries)} countries, {len(unassigned)} unassigned, "
        f"{Path(out_path).stat().st_size:,} bytes -> {out_path}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
