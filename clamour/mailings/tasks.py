"""Background tasks of the mailings app. Each calls a function that does the work."""

from django_tasks import task

from clamour.core.tasks import WAITED_FOR

from . import sending


@task()
def start_mailing(mailing_id: int) -> str:
    return sending.start_mailing(mailing_id)


@task(queue_name="mail")
def send_batch(mailing_id: int) -> str:
    return sending.send_batch(mailing_id)


@task(queue_name="mail", priority=WAITED_FOR)
def send_test(mailing_id: int, email: str, name: str) -> str:
    return sending.send_test(mailing_id, email, name)
