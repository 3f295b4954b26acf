"""Government positions: the latest per country, and bulk import from CSV.

CSV import is all or nothing: every row is checked first, and if any row is wrong the
analyst gets one clear message per wrong row and nothing is stored.

Columns (a header row is required; names are case-insensitive, order free):

    country      ISO 3166-1 alpha-2 code ("FR") or English name ("France")   required
    position     supports / opposes / undecided / unknown                     required
    date         YYYY-MM-DD (empty: today)                                    optional
    source_url   http(s) link to the statement                                optional
    note         short note                                                   optional
    ask          the ask's number (as on the positions page) or exact title   optional if
                 an ask is chosen in the import form
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clamour.lib.countries import COUNTRIES

from .models import Position

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000

STANCE_WORDS = {
    "supports": Position.Stance.SUPPORTS,
    "support": Position.Stance.SUPPORTS,
    "for": Position.Stance.SUPPORTS,
    "opposes": Position.Stance.OPPOSES,
    "oppose": Position.Stance.OPPOSES,
    "against": Position.Stance.OPPOSES,
    "undecided": Position.Stance.UNDECIDED,
    "unknown": Position.Stance.UNKNOWN,
    "": None,
}
HEADER_ALIASES = {
    "stance": "position",
    "source": "source_url",
    "url": "source_url",
    "country_code": "country",
}
_NAMES = {name.lower(): code for code, name in COUNTRIES.items()}


def latest_positions(positions) -> dict[str, Position]:
    """{country: newest position} from positions ordered by country, -date, -pk."""
    latest: dict[str, Position] = {}
    for position in positions:
        current = latest.get(position.country)
        if current is None or (position.date, position.pk) > (current.date, current.pk):
            latest[position.country] = position
    return latest


def country_code(value: str) -> str | None:
    value = value.strip()
    if value.upper() in COUNTRIES:
        return value.upper()
    return _NAMES.get(value.lower())


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_csv(data: bytes, asks, default_ask=None) -> list[dict]:
    """Check every row; return the rows as dicts, or raise ImportFailed with all errors."""
    if len(data) > MAX_CSV_BYTES:
        raise ImportFailed(
            [_("The file is too large (limit %(n)d MB).") % {"n": MAX_CSV_BYTES // (1024 * 1024)}]
        )
    if not data.strip():
        raise ImportFailed([_("The file is empty.")])
    if b"\x00" in data[:4096]:
        raise ImportFailed(
            [_("This does not look like a CSV file (it is binary). Save it as CSV (UTF-8).")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([_("The file is not UTF-8 text. Save it as CSV (UTF-8).")]) from None
    try:
        # Spreadsheets in some languages save with ";" or tabs; the header row tells.
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFailed([_("The file has no header row.")]) from None
    columns = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in ("country", "position") if c not in columns]
    if "ask" not in columns and default_ask is None:
        missing.append("ask")
    if missing:
        raise ImportFailed(
            [
                _("The header row must name the columns %(missing)s (it has: %(found)s).")
                % {
                    "missing": ", ".join(missing),
                    "found": ", ".join(h for h in header if h.strip()) or "—",
                }
            ]
        )
    by_number = {str(ask.pk): ask for ask in asks}
    by_title = {ask.title.strip().lower(): ask for ask in asks}
    url = URLValidator(schemes=["http", "https"])
    rows, errors, seen = [], [], {}
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFailed([_("The file is not valid CSV: %(error)s") % {"error": exc}]) from None
    if len(records) > MAX_ROWS:
        raise ImportFailed(
            [
                _("Too many rows (%(n)d); the limit is %(max)d.")
                % {"n": len(records), "max": MAX_ROWS}
            ]
        )
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(columns):
            errors.append(
                _("Row %(row)d: more cells than columns in the header.") % {"row": number}
            )
            continue
        row = dict(
            zip(columns, [cell.strip() for cell in record] + [""] * (len(columns) - len(record)))
        )
        problems = []
        code = country_code(row.get("country", ""))
        if code is None:
            problems.append(
                _(
                    "“%(value)s” is not a country we know (use a two-letter code such as FR, or the "
                    "English name)"
                )
                % {"value": row.get("country", "")}
            )
        stance = STANCE_WORDS.get(row.get("position", "").lower(), "bad")
        if stance in (None, "bad"):
            problems.append(
                _(
                    "the position must be supports, opposes, undecided or unknown (found “%(value)s”)"
                )
                % {"value": row.get("position", "")}
            )
        ask = default_ask
        if row.get("ask"):
            ask = by_number.get(row["ask"]) or by_title.get(row["ask"].lower())
            if ask is None:
                problems.append(_("no ask “%(value)s” in this treaty") % {"value": row["ask"]})
        elif ask is None:
            problems.append(_("no ask given"))
        when = timezone.localdate()
        if row.get("date"):
            try:
                when = date.fromisoformat(row["date"])
            except ValueError:
                problems.append(
                    _("the date must look like 2013-03-28 (found “%(value)s”)")
                    % {"value": row["date"]}
                )
        if row.get("source_url"):
            try:
                url(row["source_url"])
            except ValidationError:
                problems.append(
                    _("the source must be a web address starting with https:// (found “%(value)s”)")
                    % {"value": row["source_url"]}
                )
            if len(row["source_url"]) > 500:
                problems.append(_("the source address is longer than 500 characters"))
        if len(row.get("note", "")) > 300:
            problems.append(_("the note is longer than 300 characters"))
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
            continue
        key = (ask.pk, code, when)
        if key in seen:
            errors.append(
                _("Row %(row)d: repeats row %(first)d (same ask, country and date).")
                % {"row": number, "first": seen[key]}
            )
            continue
        seen[key] = number
        rows.append(
            {
                "ask": ask,
                "country": code,
                "stance": stance,
                "date": when,
                "source_url": row.get("source_url", ""),
                "note": row.get("note", ""),
            }
        )
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([_("The file has a header but no rows.")])
    return rows


def import_csv(data: bytes, asks, default_ask=None) -> ImportResult:
    rows = parse_csv(data, asks, default_ask)
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            _position, created = Position.objects.update_or_create(
                ask=row["ask"],
                country=row["country"],
                date=row["date"],
                defaults={
                    "stance": row["stance"],
                    "source_url": row["source_url"],
                    "note": row["note"],
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
