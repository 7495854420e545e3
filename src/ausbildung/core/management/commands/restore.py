from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'ausbildung backup' into the configured database and documents folder. "
        "Checks the manifest first (every file and checksum, the database engine, migrations not newer than "
        "the code) and refuses a damaged backup; refuses a non-empty database unless --force. Afterwards it "
        "compares the row counts with the manifest and verifies the record's signature chains against the "
        "live anchor log, which it never overwrites."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="the directory of the backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a non-empty database (every table is dropped) and write over the documents folder",
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(directory=options["directory"], force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for line in result.lines:
            self.stdout.write(line)
        for problem in result.problems:
            self.stdout.write(problem)
        if result.problems:
            raise CommandError(
                f"restored, but {len(result.problems)} problem(s) found in the restored data (listed above)."
            )
