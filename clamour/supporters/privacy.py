"""The privacy log (who exported or erased whose data) and the privacy notice.

Exporting and erasing a supporter's data reads and empties rows of the apps above this
one (actions, comments, treaties), so it lives in the top layer: clamour/site/privacy.py.
"""

from email.utils import parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import PrivacyLogEntry, PrivacyNotice


def log_privacy_action(kind, supporter, *, staff=None, detail="") -> PrivacyLogEntry:
    return PrivacyLogEntry.objects.create(
        kind=kind, supporter=supporter, supporter_number=supporter.pk,
        staff=staff if staff is not None and staff.is_authenticated else None,
        staff_username=staff.get_username() if staff is not None else "",
        detail=detail[:500],
    )


def default_notice() -> str:
    """The privacy notice in Markdown, with this server's retention settings filled in:
    shown at /privacy/ until staff write their own, and the text they start from."""
    contact = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("supporters/privacy_default.md", {
            "SITE_NAME": settings.SITE_NAME,
            "contact": contact,
            "login_minutes": settings.LOGIN_LINK_MAX_AGE_MINUTES,
            # Unconfirmed actions are never deleted before their link expires.
            "pending_days": max(settings.PENDING_RETENTION_DAYS,
                                settings.CONFIRMATION_MAX_AGE_DAYS),
            "confirm_days": settings.CONFIRMATION_MAX_AGE_DAYS,
            "login_days": settings.LOGIN_LINK_RETENTION_DAYS,
            "privacy_log_days": settings.PRIVACY_LOG_RETENTION_DAYS,
        }).strip() + "\n"


def privacy_notice() -> tuple[str, object]:
    """The privacy notice to show, in Markdown, and when staff last changed it (None
    for the default text)."""
    notice = PrivacyNotice.objects.order_by("-updated_at").first()
    if notice is None or not notice.body.strip():
        return default_notice(), None
    return notice.body, notice.updated_at
