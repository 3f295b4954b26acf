from django.core.management.base import BaseCommand, CommandError

from clamour.campaigns.models import Campaign
from clamour.workspace.building import duplicate_campaign
from clamour.workspace.forms import DuplicateForm


class Command(BaseCommand):
    help = "Copy a campaign with its action and targets as a new draft (the workspace's Duplicate)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("new_slug")
        parser.add_argument("new_title")

    def handle(self, *args, slug, new_slug, new_title, **options):
        source = Campaign.objects.select_related("action").filter(slug=slug).first()
        if source is None:
            raise CommandError(f"No campaign at {slug!r}.")
        form = DuplicateForm({"slug": new_slug, "title": new_title})
        if not form.is_valid():
            raise CommandError("; ".join(e for errors in form.errors.values() for e in errors))
        copy = duplicate_campaign(source, form.cleaned_data["slug"], form.cleaned_data["title"])
        self.stdout.write(f"Copied as draft {copy.slug!r}.")
