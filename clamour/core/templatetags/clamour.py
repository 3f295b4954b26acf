import json

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext

from clamour.core import languages
from clamour.core.access import is_staff_member

register = template.Library()


@register.filter
def time_left(deadline, now=None):
    """"3 days to go", "23 hours to go", "45 minutes to go", or "" once passed."""
    if not deadline:
        return ""
    seconds = (deadline - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return ""
    minutes = int(seconds // 60)
    hours = minutes // 60
    days = hours // 24
    if days >= 2:
        return PLURALS["days to go"](days) % {"n": days}
    if hours >= 1:
        return PLURALS["hours to go"](hours) % {"n": hours}
    minutes = max(1, minutes)
    return PLURALS["minutes to go"](minutes) % {"n": minutes}


# The words that change with a number, for the server and the page script alike.
PLURALS = {
    "signatures": lambda n: ngettext("signature", "signatures", n),
    "letters sent": lambda n: ngettext("letter sent", "letters sent", n),
    "days to go": lambda n: ngettext("%(n)d day to go", "%(n)d days to go", n),
    "hours to go": lambda n: ngettext("%(n)d hour to go", "%(n)d hours to go", n),
    "minutes to go": lambda n: ngettext("%(n)d minute to go", "%(n)d minutes to go", n),
}

# Numbers that between them fall in every CLDR plural category of every language
# (zero 0; one 1; two 2; few 3; many 11 in Arabic, 1000000 in French and Spanish;
# other 100). The page script asks Intl.PluralRules which category each is in, in the
# page's language, and so knows the catalogue's words for each category.
PLURAL_SAMPLES = (0, 1, 2, 3, 11, 100, 1000000)


@register.simple_tag
def plural_forms(name):
    """The catalogue's words for `name` (a key of PLURALS) at each sample number, as
    JSON for the page script: [[0, "…"], [1, "…"], …]; "%(n)d" stands for the number."""
    return json.dumps([[n, PLURALS[name](n)] for n in PLURAL_SAMPLES], ensure_ascii=False)


@register.simple_tag
def number_grouping():
    """data- attributes telling the page script how this language groups digits,
    exactly as the server's `intcomma` does (Western digits in every language)."""
    language = get_language()
    grouping = formats.get_format("NUMBER_GROUPING", language)
    return format_html('data-group="{}" data-group-size="{}"',
                       formats.get_format("THOUSAND_SEPARATOR", language),
                       grouping if isinstance(grouping, int) else grouping[0])


@register.simple_tag(takes_context=True)
def is_verified_staff(context) -> bool:
    """Whether the page is shown to verified staff (second factor included), for the
    staff links in the header. No query for visitors without a session."""
    request = context.get("request")
    if request is None or not hasattr(request, "user"):
        return False
    return is_staff_member(request.user)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every interface language (`core.languages.language_links`)."""
    request = context.get("request")
    return languages.language_links(request.path if request is not None else "/")
