from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand

from ausbildung.matching.engine.run import add_arguments, run


class Command(BaseCommand):
    help = (
        "Stable clearing match (deferred acceptance) from CSV/Parquet preference files; "
        "writes applicant_id,offer_id and optionally a JSON report."
    )
    requires_system_checks: list[str] = []  # a file-to-file run needs neither the database nor the checks

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        code, message = run(options, stdout=self.stdout)
        if message:
            self.stderr.write(f"ausbildung: error: {' '.join(message.split())}")
        if code:
            raise SystemExit(code)
