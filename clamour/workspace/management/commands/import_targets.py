from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clamour.campaigns.models import Campaign
from clamour.workspace.building import ImportFailed, import_targets


class Command(BaseCommand):
    help = "Import a letter action's targets from CSV: every row or none (the workspace's import)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--replace", action="store_true", help="Replace the current targets.")

    def handle(self, *args, slug, csv_file, replace, **options):
        campaign = Campaign.objects.select_related("action").filter(slug=slug).first()
        if campaign is None or not hasattr(campaign, "action"):
            raise CommandError(f"No campaign with an action at {slug!r}.")
        try:
            count = import_targets(campaign.action, csv_file.read_bytes(), replace=replace)
        except ImportFailed as failed:
            raise CommandError("Nothing imported:\n" + "\n".join(failed.errors)) from None
        self.stdout.write(f"{count} target(s) imported.")
