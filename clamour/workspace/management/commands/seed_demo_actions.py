from django.core.management.base import BaseCommand

from clamour.workspace.demo import seed_demo_actions


class Command(BaseCommand):
    help = ("Add clearly labelled demo actions (Demo supporter N at demo.example.org) to the "
            "demo campaigns, spread over the last days and many countries. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=3000, help="Demo actions per campaign.")
        parser.add_argument("--days", type=int, default=5)

    def handle(self, *args, count, days, verbosity, **options):
        added = seed_demo_actions(count=count, days=days)
        if verbosity:
            self.stdout.write(f"{added} demo action(s) added.")
