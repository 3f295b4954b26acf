from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clamour.core.speed.pagecache import SHARED_PAGE
from clamour.lib.reldate import relative
from clamour.supporters.session import current_supporter

from ..forms import CommentForm
from ..models import closes_at
from ..threads import is_open, kind_of, own_waiting_comments, public_thread, started_at

register = template.Library()

_UNITS = {
    "minute": lambda n: ngettext("%(n)d minute ago", "%(n)d minutes ago", n),
    "hour": lambda n: ngettext("%(n)d hour ago", "%(n)d hours ago", n),
    "day": lambda n: ngettext("%(n)d day ago", "%(n)d days ago", n),
    "week": lambda n: ngettext("%(n)d week ago", "%(n)d weeks ago", n),
    "month": lambda n: ngettext("%(n)d month ago", "%(n)d months ago", n),
    "year": lambda n: ngettext("%(n)d year ago", "%(n)d years ago", n),
}


@register.filter
def ago(when, now=None):
    """ "just now", "5 minutes ago", "2 hours ago", "11 years ago"."""
    if not when:
        return ""
    unit, n = relative(((now or timezone.now()) - when).total_seconds())
    if unit == "now":
        return _("just now")
    return _UNITS[unit](max(n, 1)) % {"n": max(n, 1)}


@register.filter
def exact(when):
    """The full date and time, for the hover title of a relative date."""
    if not when:
        return ""
    return date_format(timezone.localtime(when), "DATETIME_FORMAT")


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comment_thread(context, target):
    """The comments under a page, and the form to add one.

    On a page cached for everyone (the campaign page or a post for visitors without a
    session) nothing about the person is put in: the form is the guest form, and their
    own waiting comments are not listed.
    """
    request = context.get("request")
    shared_page = context.get(SHARED_PAGE, False)
    supporter = None if shared_page or request is None else current_supporter(request)
    public = public_thread(target)
    newest_first = request is not None and request.GET.get("comments") == "newest"
    open_now = is_open(public.thread, target)
    can_write = open_now and (supporter is not None or settings.COMMENTS_ALLOW_GUESTS)
    try:
        login_url = reverse("supporters:login")
    except NoReverseMatch:
        login_url = ""
    return {
        "target": target,
        "kind": kind_of(target),
        "comments": public.tree(newest_first=newest_first),
        "count": public.count,
        "newest_first": newest_first,
        "is_open": open_now,
        "closes_at": closes_at(started_at(target)),
        "pre_moderated": public.thread is not None and public.thread.is_pre_moderated(),
        "form": CommentForm(guest=supporter is None) if can_write else None,
        "supporter": supporter,
        "waiting": own_waiting_comments(target, supporter),
        "login_url": login_url,
        "request": request,
    }
