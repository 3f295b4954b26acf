"""Background tasks of the comments app. Each calls a function that does the work."""

from django_tasks import task

from clamour.core.tasks import WAITED_FOR


@task(queue_name="mail", priority=WAITED_FOR)
def send_comment_confirmation(comment_id: int) -> str:
    from . import notifications

    return notifications.send_comment_confirmation(comment_id)


@task(queue_name="mail")
def send_reply_notification(comment_id: int) -> str:
    from . import notifications

    return notifications.send_reply_notification(comment_id)
