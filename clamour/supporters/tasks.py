"""Background tasks of the supporters app. Each calls a function that does the work."""

from django_tasks import task

from clamour.core.tasks import WAITED_FOR

from . import accounts


@task(queue_name="mail", priority=WAITED_FOR)
def send_login_link(email: str) -> str:
    return accounts.send_login_link(email)
