"""Background tasks of the actions app. Each calls a function that does the work."""

from django_tasks import task

from clamour.core.tasks import WAITED_FOR

from . import delivery


@task(queue_name="mail", priority=WAITED_FOR)
def send_confirmation(submission_id: int, attempt: int = 1) -> str:
    return delivery.send_confirmation(submission_id, attempt)


@task(queue_name="mail", priority=WAITED_FOR)
def send_confirmations(submission_ids: list[int]) -> str:
    return delivery.send_confirmations(submission_ids)


@task(queue_name="mail", priority=WAITED_FOR)
def send_reminders(submission_ids: list[int], reason: str, attempt: int = 1,
                   since: str | None = None) -> str:
    return delivery.send_reminders(submission_ids, reason, attempt, since)


@task()
def deliver_submission(submission_id: int) -> str:
    return delivery.deliver_submission(submission_id)


@task()
def deliver_submissions(submission_ids: list[int]) -> str:
    return delivery.deliver_submissions(submission_ids)


@task(queue_name="mail")
def send_delivery(delivery_id: int) -> str:
    return delivery.send_delivery(delivery_id)
