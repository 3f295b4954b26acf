from django.conf import settings
from django.core.management.base import BaseCommand

from clamour.lib.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without gettext's tools."

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for mo_path in compile_catalogues(locale_dir):
                self.stdout.write(f"Compiled {mo_path}")
