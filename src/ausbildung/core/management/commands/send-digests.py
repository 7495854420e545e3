from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.core.digests import FREQUENCIES, send_digests


class Command(BaseCommand):
    help = (
        "Send the e-mail digest of what waits for each person who chose it (run from cron: daily with "
        "--frequency daily, on Mondays with --frequency weekly). Empty digests are not sent; a second run "
        "in the same day or week sends nothing again."
    )

    def add_arguments(self, parser: Any) -> None:
        # Checked in handle(), not by argparse `choices`/`required`: a wrong value ends in one readable line.
        parser.add_argument("--frequency", default="", help="daily or weekly")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        frequency = options["frequency"]
        if frequency not in FREQUENCIES:
            raise CommandError(f"--frequency must be 'daily' or 'weekly', not {frequency!r}.", returncode=2)
        sent, skipped = send_digests(frequency=frequency)
        self.stdout.write(f"{sent} digest(s) queued, {skipped} empty one(s) skipped.")
