"""CSV exports of a campaign's supporters and actions, for an NGO's CRM.

Rows are read in primary-key order a chunk at a time (keyset pagination), so memory
stays constant whatever the size; every cell that a spreadsheet would take for a
formula is prefixed with an apostrophe; every export is written to the privacy log
before the first row leaves.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from clamour.actions.models import Submission
from clamour.supporters.models import PrivacyLogEntry

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

KINDS = {
    "supporters": [
        "supporter_id", "name", "email", "country", "language", "postcode", "consent_given",
        "consent_wording", "status", "submitted_at", "confirmed_at",
    ],
    "actions": [
        "submission_id", "supporter_id", "name", "email", "country", "language", "postcode",
        "status",
        "consent_given", "referral_code", "utm_source", "utm_campaign", "subject", "body",
        "comment", "reply_to_ok", "submitted_at", "confirmed_at",
    ],
}


@dataclass(frozen=True)
class Filters:
    country: str = ""
    status: str = ""  # "", "pending" or "confirmed"
    consent: str = ""  # "", "yes" or "no"
    since: date | None = None
    until: date | None = None  # inclusive

    def describe(self) -> str:
        parts = [f"{name}={value}" for name, value in
                 (("country", self.country), ("status", self.status), ("consent", self.consent),
                  ("since", self.since), ("until", self.until)) if value]
        return ", ".join(parts) or "no filter"


def safe_cell(value) -> str:
    """The text of one cell, never read as a formula by a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def submissions_for(action, filters: Filters):
    found = Submission.objects.filter(action=action)
    if filters.country:
        found = found.filter(country=filters.country)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.consent:
        found = found.filter(consent_given=filters.consent == "yes")
    zone = timezone.get_current_timezone()
    if filters.since:
        found = found.filter(created_at__gte=datetime.combine(filters.since, time.min, zone))
    if filters.until:
        found = found.filter(created_at__lt=datetime.combine(filters.until + timedelta(days=1),
                                                             time.min, zone))
    return found


def _row(kind, s) -> list:
    if kind == "supporters":
        return [s.supporter_id, s.name, s.email, s.country, s.language, s.postcode,
                s.consent_given, s.consent_wording, s.status, s.created_at, s.confirmed_at]
    return [s.pk, s.supporter_id, s.name, s.email, s.country, s.language, s.postcode, s.status,
            s.consent_given, s.referral_code, s.utm_source, s.utm_campaign, s.subject,
            s.body, s.comment, s.reply_to_ok, s.created_at, s.confirmed_at]


def rows(action, kind: str, filters: Filters):
    """The export's rows (header first), a chunk of CHUNK submissions at a time."""
    yield KINDS[kind]
    # The language the person uses with us (their emails are written in it), in the
    # same query as the rows.
    found = submissions_for(action, filters).annotate(
        language=F("supporter__language")).order_by("pk")
    if kind == "supporters":
        found = found.only("supporter_id", "name", "email", "country", "postcode",
                           "consent_given", "consent_wording", "status", "created_at",
                           "confirmed_at")
    last = 0
    while True:
        chunk = list(found.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        for submission in chunk:
            yield [safe_cell(value) for value in _row(kind, submission)]
        last = chunk[-1].pk


class _Line:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, value):
        return value


def csv_lines(table):
    """Encoded CSV lines, one per row of `table`."""
    writer = csv.writer(_Line())
    for row in table:
        yield writer.writerow(row).encode("utf-8")


def log_export(action, kind: str, filters: Filters, staff) -> PrivacyLogEntry:
    """Record that `staff` exported `kind` of `action` (a bulk export names no one
    supporter: record number 0, the campaign and filters in the detail)."""
    return PrivacyLogEntry.objects.create(
        kind=PrivacyLogEntry.Kind.EXPORT, supporter=None, supporter_number=0,
        staff=staff, staff_username=staff.get_username() if staff else "",
        detail=f"CSV export of {kind} of campaign {action.campaign.slug} ({filters.describe()})"[:500],
    )


def export_csv(action, kind: str, filters: Filters, staff):
    """Log the export, then return the iterator of its encoded CSV lines. The one entry
    point for the staff page and the `export_campaign` command."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}")
    log_export(action, kind, filters, staff)
    return csv_lines(rows(action, kind, filters))
