from django import template
from django.utils import timezone
from django.utils.translation import ngettext

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
        return ngettext("%(n)d day to go", "%(n)d days to go", days) % {"n": days}
    if hours >= 1:
        return ngettext("%(n)d hour to go", "%(n)d hours to go", hours) % {"n": hours}
    minutes = max(1, minutes)
    return ngettext("%(n)d minute to go", "%(n)d minutes to go", minutes) % {"n": minutes}


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
