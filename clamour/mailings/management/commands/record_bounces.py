"""Read bounce and complaint reports and stop mailing the addresses they name.

    manage.py record_bounces < message.eml       # one message on standard input
    manage.py record_bounces reports.mbox …      # files: single messages or mbox files

Wire it to the mailbox that receives bounces (README, "Mailings").
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from clamour.mailings.bounces import messages_in, read_reports
from clamour.mailings.sending import mark_bounced


class Command(BaseCommand):
    help = "Record hard bounces (RFC 3464) and complaints (ARF) read from files or standard input."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Message or mbox files; none: standard input.")

    def handle(self, *args, files, **options):
        inputs = []
        try:
            for path in files:
                with open(path, "rb") as handle:
                    inputs.append(handle.read())
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename}: {exc.strerror}") from exc
        if not files:
            inputs.append(sys.stdin.buffer.read())
        recorded = messages = 0
        for data in inputs:
            for message in messages_in(data):
                messages += 1
                for report in read_reports(message):
                    mark_bounced(report.email, report.kind, report.detail, report.message_id)
                    recorded += 1
                    self.stdout.write(f"{report.kind}: {report.email}")
        self.stdout.write(f"{messages} message(s) read, {recorded} address(es) recorded.")
