from django.core.management.base import BaseCommand

from clamour.site.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo campaigns (safe to run again)."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write(f"Demo data ready ({created['campaigns']} campaign(s) created).")
