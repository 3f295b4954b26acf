from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clamour.core.access import is_staff_member


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Staff with their second factor verified; worked out only where a page asks.
        "staff_member": SimpleLazyObject(lambda: is_staff_member(request.user)),
    }
