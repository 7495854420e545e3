from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ausbildung.core.audit import READ_RETENTION_DAYS, erase_reads_older_than


class Command(BaseCommand):
    help = (
        "Erase the audit rows of staff reads older than the retention period "
        f"(default {READ_RETENTION_DAYS} days; see core.audit). The daily privacy job runs the same function."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=READ_RETENTION_DAYS, help="keep this many days")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            erased = erase_reads_older_than(days=options["days"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{erased} read-audit rows older than {options['days']} days erased.")
