"""Who may use staff pages.

Every staff view (outside the Django admin) is wrapped in `staff_required`, optionally
naming a permission, so access rules live in one place.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def is_staff_member(user) -> bool:
    """Logged-in staff, with their second factor verified where the site requires it."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    is_verified = getattr(user, "is_verified", None)
    return is_verified() if callable(is_verified) else True


def staff_required(view=None, *, permission: str | None = None):
    """Anonymous people are sent to log in; logged-in people without access get 403."""

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not is_staff_member(user):
                if user.is_authenticated and user.is_staff:
                    return redirect_to_login(request.get_full_path())  # second factor missing
                if user.is_authenticated:
                    raise PermissionDenied
                return redirect_to_login(request.get_full_path())
            if permission and not user.has_perm(permission):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
