import sys
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clamour.campaigns.models import Campaign
from clamour.workspace.exports import KINDS, Filters, export_csv


class Command(BaseCommand):
    help = ("Write a campaign's supporters or actions as CSV (to a file or standard output), "
            "as the workspace's Export page does; the export is written to the privacy log.")

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--staff", required=True,
                            help="User name of the staff member exporting (must hold the "
                                 "permission to export personal data).")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--country", default="")
        parser.add_argument("--status", default="", choices=["", "pending", "confirmed"])
        parser.add_argument("--consent", default="", choices=["", "yes", "no"])
        parser.add_argument("--since", type=date.fromisoformat)
        parser.add_argument("--until", type=date.fromisoformat)

    def handle(self, *args, slug, kind, staff, output, **options):
        campaign = Campaign.objects.select_related("action").filter(slug=slug).first()
        if campaign is None or not hasattr(campaign, "action"):
            raise CommandError(f"No campaign with an action at {slug!r}.")
        user = get_user_model().objects.filter(username=staff).first()
        if user is None or not user.is_active or not user.has_perm("workspace.export_personal_data"):
            raise CommandError(f"{staff!r} may not export personal data.")
        filters = Filters(country=options["country"].upper(), status=options["status"],
                          consent=options["consent"], since=options["since"], until=options["until"])
        lines = export_csv(campaign.action, kind, filters, user)
        out = open(output, "wb") if output else sys.stdout.buffer
        try:
            for line in lines:
                out.write(line)
        finally:
            if output:
                out.close()
