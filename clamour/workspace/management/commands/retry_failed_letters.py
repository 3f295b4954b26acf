from django.core.management.base import BaseCommand, CommandError

from clamour.actions.delivery import retry_failed
from clamour.actions.models import Delivery
from clamour.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Queue a campaign's failed letters to be sent again (the dashboard's button)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(f"No campaign at {slug!r}.")
        count = retry_failed(Delivery.objects.filter(target__action__campaign=campaign))
        self.stdout.write(f"{count} failed letter(s) queued again.")
