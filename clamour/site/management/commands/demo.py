import os
import secrets
import threading

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clamour.core.tasks import make_worker
from clamour.site.demo import load_demo
from clamour.site.management.commands.worker import run_maintenance
from clamour.workspace.roles import campaigners_group

DEMO_ADMIN = "campaigner"


def demo_admin_password() -> tuple[str, bool]:
    """The demo staff account's password: generated on first run, kept in var/."""
    path = settings.VAR_DIR / "demo_admin_password"
    if path.exists():
        return path.read_text().strip(), False
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    return password, True


class Command(BaseCommand):
    help = "Set up the demo (database, demo data, staff account) and serve it with a worker."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up only.")

    def handle(self, *args, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        load_demo()
        call_command("seed_demo_actions", verbosity=0)
        password, new = demo_admin_password()
        User = get_user_model()
        user = User.objects.filter(username=DEMO_ADMIN).first()
        if user is None or new:
            user = user or User(username=DEMO_ADMIN, email="campaigner@example.org")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        user.groups.add(campaigners_group())
        address = f"127.0.0.1:{settings.PORT}"
        mail = settings.EMAIL_FILE_PATH or f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        self.stdout.write(self.style.SUCCESS(
            f"\nClamour demo: http://{address}/campaigns/arms-trade-treaty/\n"
            f"Workspace:     http://{address}/staff/ (campaigns, dashboards, exports)\n"
            f"Staff log-in:  http://{address}/admin/  user {DEMO_ADMIN!r}  password {password!r}\n"
            f"Outgoing mail: {mail}\n"
            "Staff second factor: on the first log-in /admin/ asks you to set up an "
            "authenticator app\n  (scan the QR code it shows, or type the key; without a phone, "
            "`oathtool --totp -b KEY` gives the code).\n"
            f"Supporter log-in: http://{address}/account/login/ as sam@example.org "
            "(the link arrives in the mail folder).\n"
            "Press Ctrl-C to stop.\n"
        ))
        if no_serve:
            return
        worker = make_worker("demo-worker", interval=0.5)
        threading.Thread(target=worker.run, name="task-worker", daemon=True).start()
        threading.Thread(target=run_maintenance, args=(threading.Event(),),
                         name="task-maintenance", daemon=True).start()
        call_command("runserver", address, use_reloader=False, use_threading=True)
