"""Background tasks of the supporters app. Each calls a function that does the work."""

from django_tasks import task

from . import accounts


@task(queue_name="mail")
def send_login_link(email: str) -> str:
    return accounts.send_login_link(email)
