"""Who a supporter's letter goes to.

A resolver turns (action, supporter's country, postcode) into targets. Two ship with
Clamour: a fixed list, and one target per country. A postcode → representative
resolver (for example one that asks a MapIt-compatible service) is a class with the
same `resolve` method, registered in RESOLVERS.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clamour.lib.countries import country_name

from .models import Action


class NoTarget(Exception):
    """Nobody to write to for this supporter; the message says why, for a person."""


@dataclass
class Resolution:
    targets: list
    used_fallback: bool = False


class FixedResolver:
    """Everyone writes to the action's targets."""

    def resolve(self, action, targets, country, postcode):
        return list(targets)


class CountryResolver:
    """Each supporter writes to the target(s) for their own country."""

    def resolve(self, action, targets, country, postcode):
        return [t for t in targets if t.country == country]


RESOLVERS = {
    Action.Targeting.FIXED: FixedResolver(),
    Action.Targeting.COUNTRY: CountryResolver(),
}


def resolve_targets(action, country, postcode="", targets=None) -> Resolution:
    """The targets for one supporter, applying the campaigner's fallback.

    `targets` lets a caller that already loaded the action's targets avoid a query.
    Raises NoTarget when there is nobody to write to.
    """
    if targets is None:
        targets = list(action.targets.all())
    found = RESOLVERS[action.targeting].resolve(action, targets, country, postcode)
    if found:
        return Resolution(found)
    defaults = [t for t in targets if t.is_default]
    if action.fallback == Action.Fallback.DEFAULT_TARGET and defaults:
        return Resolution(defaults, used_fallback=True)
    if action.targeting == Action.Targeting.COUNTRY and country:
        raise NoTarget(
            _(
                "We don't have a contact for %(country)s in this campaign yet, so we "
                "can't send your letter. You can still help by sharing the campaign."
            )
            % {"country": country_name(country, get_language())}
        )
    raise NoTarget(_("This action has nobody to write to yet. Please try again later."))
