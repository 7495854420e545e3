from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.core.backup import BackupError, backup_create, backup_summary


class Command(BaseCommand):
    help = (
        "Back up the platform into a new directory: a consistent snapshot of the database (SQLite's online "
        "backup API, pg_dump for PostgreSQL), then the private documents, each contract's record chain head "
        "and a copy of the anchor log, with a manifest of SHA-256 checksums. Not included: the signing keys, "
        "SECRET_KEY and the live anchor log, which are kept apart (README, 'Running it for real')."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="a new (or empty) directory for this backup")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(directory=options["directory"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for line in backup_summary(result):
            self.stdout.write(line)
