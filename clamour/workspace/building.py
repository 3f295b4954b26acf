"""Building campaigns from the workspace: create, duplicate, publish, targets (one by
one or from CSV, all or nothing), dated updates, and the letter preview.

One entry point per write: the staff pages and the management commands call these.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from clamour.actions.models import Action, Target
from clamour.actions.targeting import NoTarget, resolve_targets
from clamour.campaigns.models import Campaign, Update
from clamour.lib import letters
from clamour.lib.countries import country_name
from clamour.treaties.positions import country_code

MAX_CSV_BYTES = 1024 * 1024
MAX_ROWS = 5000
TARGET_COLUMNS = ("name", "title", "email", "country", "default")
ACTION_FIELDS = ["kind", "title", "intro", "letter_subject", "letter_template", "petition_text",
                 "goal", "deadline", "closed", "require_confirmation", "ask_postcode",
                 "targeting", "fallback", "consent_wording"]


@transaction.atomic
def create_campaign(campaign_data: dict, action_data: dict) -> Campaign:
    """A new campaign (a draft unless asked otherwise) with its action."""
    campaign = Campaign.objects.create(**campaign_data)
    Action.objects.create(campaign=campaign, **action_data)
    return campaign


@transaction.atomic
def duplicate_campaign(source: Campaign, slug: str, title: str) -> Campaign:
    """A draft copy of `source` with its action and targets (not its supporters,
    updates or figures), under a new address and headline."""
    copy = Campaign.objects.create(slug=slug, title=title, summary=source.summary,
                                   story=source.story, status=Campaign.Status.DRAFT)
    action = getattr(source, "action", None)
    if action is not None:
        fields = {name: getattr(action, name) for name in ACTION_FIELDS}
        fields["closed"] = False  # a copy starts open; its deadline is the campaigner's to set
        new_action = Action.objects.create(campaign=copy, **fields)
        Target.objects.bulk_create([
            Target(action=new_action, name=t.name, title=t.title, email=t.email,
                   country=t.country, is_default=t.is_default)
            for t in action.targets.all()
        ])
    return copy


def save_campaign(campaign: Campaign, fields: list[str]) -> Campaign:
    campaign.save(update_fields=fields)
    return campaign


def save_action(action: Action, fields: list[str]) -> Action:
    action.save(update_fields=fields)
    return action


def set_status(campaign: Campaign, status: str) -> Campaign:
    """Publish (live), take down (draft) or archive a campaign."""
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign


def add_target(action: Action, **fields) -> Target:
    return Target.objects.create(action=action, **fields)


def remove_target(target: Target) -> None:
    target.delete()


def post_update(campaign: Campaign, *, title: str, body: str, published_at) -> Update:
    """A dated update on the campaign page (a future date schedules it)."""
    return Update.objects.create(campaign=campaign, title=title, body=body,
                                 published_at=published_at)


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_targets_csv(data: bytes) -> list[dict]:
    """Every row checked; the rows as Target fields, or ImportFailed naming each bad row.

    Columns (header row required, any order, case-insensitive): name, email (required),
    title, country (code or English name), default (yes/no).
    """
    if len(data) > MAX_CSV_BYTES:
        raise ImportFailed([_("The file is too large (limit 1 MB).")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([_("The file is not UTF-8 text. Save it as CSV (UTF-8).")]) from None
    if not text.strip():
        raise ImportFailed([_("The file is empty.")])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in ("name", "email") if c not in header]
    if missing:
        raise ImportFailed([_("The header row must name the columns %(missing)s (it has: %(found)s).")
                            % {"missing": ", ".join(missing), "found": ", ".join(header) or "—"}])
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFailed([_("The file is not valid CSV: %(error)s") % {"error": exc}]) from None
    if len(records) > MAX_ROWS:
        raise ImportFailed([_("Too many rows (%(n)d); the limit is %(max)d.")
                            % {"n": len(records), "max": MAX_ROWS}])
    found, errors = [], []
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = {column: (record[i].strip() if i < len(record) else "")
               for i, column in enumerate(header)}
        problems = []
        if not row.get("name"):
            problems.append(_("the name is missing"))
        try:
            validate_email(row.get("email", ""))
        except ValidationError:
            problems.append(_("“%(email)s” is not an email address") % {"email": row.get("email", "")})
        code = ""
        if row.get("country"):
            code = country_code(row["country"])
            if code is None:
                problems.append(_("“%(country)s” is not a country we know") % {"country": row["country"]})
        default = row.get("default", "").lower()
        if default not in ("", "yes", "no", "true", "false", "1", "0", "y", "n"):
            problems.append(_("“default” must be yes or no"))
        if len(row.get("name", "")) > 200 or len(row.get("title", "")) > 200:
            problems.append(_("the name or title is longer than 200 characters"))
        if problems:
            errors.append(_("Row %(n)d: %(problems)s.") % {"n": number, "problems": "; ".join(problems)})
            continue
        found.append({"name": row["name"], "title": row.get("title", ""), "email": row["email"],
                      "country": code or "", "is_default": default in ("yes", "true", "1", "y")})
    if errors:
        raise ImportFailed(errors)
    if not found:
        raise ImportFailed([_("The file has no rows under its header.")])
    return found


@transaction.atomic
def import_targets(action: Action, data: bytes, replace: bool = False) -> int:
    """Add (or with `replace`, swap in) the targets of a CSV file: all rows or none."""
    rows = parse_targets_csv(data)
    if replace:
        action.targets.all().delete()
    Target.objects.bulk_create([Target(action=action, **row) for row in rows])
    return len(rows)


@dataclass
class LetterPreview:
    country: str
    supporter_sees_subject: str
    supporter_sees_body: str
    recipients: list  # [(Target, subject, full letter as the target receives it)]
    used_fallback: bool = False
    problem: str = ""


def preview_letter(action: Action, country: str, *, subject: str | None = None,
                   template: str | None = None, supporter_name: str = "Sam Supporter") -> LetterPreview:
    """The letter of `action` (or the given unsaved subject and template) as a supporter
    from `country` is offered it, and as each of their targets receives it, through the
    same fill and compose as the letters that are sent."""
    subject = action.letter_subject if subject is None else subject
    template = action.letter_template if template is None else template
    try:
        resolution = resolve_targets(action, country)
    except NoTarget as exc:
        values = _values(supporter_name, country, None)
        return LetterPreview(country, letters.fill(subject, values), letters.fill(template, values),
                             [], problem=str(exc))
    first = resolution.targets[0] if resolution.targets else None
    seen = _values(supporter_name, country, first)
    recipients = []
    for target in resolution.targets:
        values = _values(supporter_name, country, target)
        # What is sent: the supporter's (filled) letter, filled again per recipient.
        recipients.append((target, letters.fill(letters.fill(subject, seen), values),
                           letters.compose(letters.fill(template, seen), values)))
    return LetterPreview(country, letters.fill(subject, seen), letters.fill(template, seen),
                         recipients, used_fallback=resolution.used_fallback)


def _values(supporter_name, country, target) -> dict:
    return {
        "supporter_name": supporter_name,
        "supporter_country": country_name(country) if country else "",
        "target_name": target.name if target else "",
        "target_title": target.title if target else "",
        "target_country": country_name(target.country) if target and target.country else "",
    }
