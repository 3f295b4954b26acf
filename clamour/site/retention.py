"""Keeping data no longer than needed. `prune()` is run by `manage.py prune` and, every
PRUNE_INTERVAL_MINUTES, by the worker. Running it again removes nothing more.

- Unconfirmed actions older than PENDING_RETENTION_DAYS (and never before their
  confirmation link has expired) are deleted. They never counted, so no count changes.
  A person left with nothing else (no action, no comment) goes too.
- Log-in links are deleted LOGIN_LINK_RETENTION_DAYS after they expire, and so are the
  finished log-in tasks, whose arguments hold the address someone typed.
- Privacy log entries are deleted after PRIVACY_LOG_RETENTION_DAYS.
- Guest comments whose email was never confirmed are deleted (comments app).
- Expired sessions are deleted.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clamour.actions.models import Submission
from clamour.comments.posting import purge_unconfirmed
from clamour.supporters.accounts import send_login_link
from clamour.supporters.models import Consent, EmailOptOut, LoginToken, PrivacyLogEntry, Supporter

logger = logging.getLogger(__name__)

_OWN_RELATIONS = {Consent, EmailOptOut, LoginToken}


def _has_nothing_else(supporters):
    """Supporters (a queryset) that nothing outside this app still points to."""
    for relation in Supporter._meta.related_objects:
        if relation.related_model in _OWN_RELATIONS or relation.related_model is PrivacyLogEntry:
            continue  # ours to delete with the person (the privacy log keeps only a number)
        supporters = supporters.exclude(**{f"{relation.name}__isnull": False})
    return supporters


def prune_unconfirmed(now) -> dict:
    days = max(settings.PENDING_RETENTION_DAYS, settings.CONFIRMATION_MAX_AGE_DAYS)
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        stale = Submission.objects.filter(status=Submission.Status.PENDING, created_at__lt=cutoff)
        people = list(stale.values_list("supporter_id", flat=True).distinct())
        _, deleted = stale.delete()
        alone = _has_nothing_else(Supporter.objects.filter(
            pk__in=people, created_at__lt=cutoff, erased_at__isnull=True))
        _, gone = alone.delete()
    return {"unconfirmed_actions": deleted.get(Submission._meta.label, 0),
            "supporters_without_actions": gone.get(Supporter._meta.label, 0)}


def prune_login_links(now) -> dict:
    cutoff = now - timedelta(days=settings.LOGIN_LINK_RETENTION_DAYS)
    links, _ = LoginToken.objects.filter(expires_at__lt=cutoff).delete()
    tasks, _ = DBTaskResult.objects.filter(
        task_path=send_login_link.module_path, finished_at__lt=cutoff).delete()
    return {"login_links": links, "login_tasks": tasks}


def prune_privacy_log(now) -> dict:
    cutoff = now - timedelta(days=settings.PRIVACY_LOG_RETENTION_DAYS)
    deleted, _ = PrivacyLogEntry.objects.filter(created_at__lt=cutoff).delete()
    return {"privacy_log_entries": deleted}


def prune_comments(now) -> dict:
    """Guest comments never confirmed by email (the comments app's own clean-up)."""
    return {"unconfirmed_comments": purge_unconfirmed(now)}


def prune_sessions(now) -> dict:
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return {"sessions": deleted}


def prune(now=None) -> dict:
    """Apply every retention period. Returns what was deleted, by kind."""
    now = now or timezone.now()
    result = {}
    for step in (prune_unconfirmed, prune_comments, prune_login_links, prune_privacy_log,
                 prune_sessions):
        result.update(step(now))
    if any(result.values()):
        logger.info("Pruned: %s", ", ".join(f"{k}={v}" for k, v in result.items() if v))
    return result


def prune_if_due(last_run: float | None, now: float | None = None) -> float | None:
    """For the worker's maintenance loop: prune when PRUNE_INTERVAL_MINUTES have passed
    since `last_run` (a time.monotonic() reading). Returns the new last-run reading."""
    now = time.monotonic() if now is None else now
    if last_run is not None and now - last_run < settings.PRUNE_INTERVAL_MINUTES * 60:
        return last_run
    try:
        prune()
    except Exception:  # keep the worker alive through a database blip
        logger.exception("Pruning failed; will try again")
        return last_run
    return now
