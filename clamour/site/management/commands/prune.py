from django.core.management.base import BaseCommand

from clamour.site.retention import prune


class Command(BaseCommand):
    help = "Delete what the retention settings say is kept no longer (safe to run again)."

    def handle(self, *args, **options):
        result = prune()
        for kind, count in result.items():
            self.stdout.write(f"{kind}: {count}")
