"""The letter a supporter sees in the letter box, filled in for their choices.

Placeholders the campaigner put in the template ({supporter_country}, {target_title} …)
are never shown as they are: what the supporter's country (and postcode) decide is
filled in, the rest is shown as words in brackets ("[your country]") that become
placeholders again when the letter is sent in, and are filled per recipient on delivery.
The staff preview of a letter calls `letter_for` too.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clamour.lib import letters
from clamour.lib.countries import COUNTRIES, country_name

from .models import Action
from .targeting import NoTarget, resolve_targets


def stand_ins() -> dict[str, str]:
    """What the letter box shows for a placeholder whose value is not known yet."""
    return {
        "supporter_name": _("[your name]"),
        "supporter_country": _("[your country]"),
        "target_name": _("[the recipient's name]"),
        "target_title": _("[the recipient's title]"),
        "target_country": _("[the recipient's country]"),
    }


@dataclass
class LetterPreview:
    subject: str
    body: str
    values: dict  # placeholder → value, for those known
    targets: list = field(default_factory=list)  # who it goes to, once that is known
    used_fallback: bool = False  # the country has no target: the default one is used
    problem: str = ""  # why nobody can be written to, for the supporter


def values_for(action: Action, country: str = "", postcode: str = "", targets=None,
               supporter_name: str = "") -> LetterPreview:
    """Who the letter goes to and the placeholder values known for these choices
    (subject and body left empty; `letter_for` fills them)."""
    country = country if country in COUNTRIES else ""
    values = {"supporter_name": supporter_name,
              "supporter_country": country_name(country, get_language()) if country else ""}
    preview = LetterPreview("", "", values)
    if targets is None:
        targets = list(action.targets.all())
    if action.targeting == Action.Targeting.FIXED or country:
        try:
            resolution = resolve_targets(action, country, postcode, targets)
        except NoTarget as exc:
            preview.problem = str(exc)
        else:
            preview.targets, preview.used_fallback = resolution.targets, resolution.used_fallback
    if len(preview.targets) == 1:  # several recipients: each copy is filled when sent
        target = preview.targets[0]
        # Country names in the language the letter starts in: the recipient's, where
        # they have one, else the page's.
        language = target.language or get_language()
        if country:
            values["supporter_country"] = country_name(country, language)
        values.update(target_name=target.name, target_title=target.title,
                      target_country=country_name(target.country, language) if target.country else "")
    return preview


def letter_for(action: Action, country: str = "", postcode: str = "", targets=None,
               supporter_name: str = "", subject: str | None = None,
               body: str | None = None) -> LetterPreview:
    """The action's letter (or the given subject and body, as a supporter edited them)
    filled in for a supporter from `country` (ISO code) and `postcode`: what the letter
    box shows, and who it goes to. `targets` saves a query when the caller has them."""
    preview = values_for(action, country, postcode, targets, supporter_name)
    words = stand_ins()
    start_subject, start_body = target_letter(action, preview.targets) or (
        action.letter_subject, action.letter_template)
    preview.subject = letters.fill_known(
        start_subject if subject is None else subject, preview.values, words)
    preview.body = letters.fill_known(
        start_body if body is None else body, preview.values, words)
    return preview


def target_language(targets) -> str:
    """The language all these recipients are written to in, or "" if they have none
    or several."""
    languages = {target.language for target in targets}
    return languages.pop() if len(languages) == 1 else ""


def target_letter(action: Action, targets) -> tuple[str, str] | None:
    """(subject, letter) in the recipients' language, where they have one and the
    action has its letter in it; None: the letter in the page's language."""
    language = target_language(targets)
    return action.letter_in(language) if language else None
