"""The admin site: staff need their password and a second factor (TOTP) to get in.

A staff member who has given the right password but not yet a code is sent from the
admin's log-in page to the code step (`staffauth:verify`), or, on their very first
log-in, to set up an authenticator app (`staffauth:setup`).
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from clamour.core import ratelimit
from clamour.core.access import is_staff_member

from .throttle import password_wait, wait_text


def needs_second_factor(user) -> bool:
    """Staff who have given their password but no code yet in this session."""
    return user.is_authenticated and user.is_active and user.is_staff and not is_staff_member(user)


def second_factor_url(next_url: str) -> str:
    return f"{reverse('staffauth:verify')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return is_staff_member(request.user)

    def login(self, request, extra_context=None):
        if needs_second_factor(request.user):
            next_url = (request.GET.get(REDIRECT_FIELD_NAME)
                        or reverse("admin:index", current_app=self.name))
            return redirect(second_factor_url(next_url))
        if request.method == "POST" and (wait := password_wait(request)):
            return ratelimit.too_many(request, wait, "staffauth/too_many.html",
                                      {**self.each_context(request), "wait": wait_text(wait)})
        return super().login(request, extra_context)
