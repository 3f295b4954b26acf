"""Background tasks of the treaty tracker. Each calls a function in `mail.py`."""

from django_tasks import task

from clamour.core.tasks import WAITED_FOR

from . import mail


@task(queue_name="mail", priority=WAITED_FOR)
def send_subscription_confirmation(subscription_id: int) -> str:
    return mail.send_subscription_confirmation(subscription_id)


@task()
def queue_breakdown_alerts(draft_id: int) -> str:
    return mail.queue_breakdown_alerts(draft_id)


@task(queue_name="mail")
def send_breakdown_alert(alert_id: int, attempt: int = 1) -> str:
    return mail.send_breakdown_alert(alert_id, attempt)
