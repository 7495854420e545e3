from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ausbildung.orientation.derive import derive_interest_profiles, load_lexicon


class Command(BaseCommand):
    help = (
        "(Re)compute the RIASEC interest profile of every occupation from the text of its training regulation "
        "with the editorial lexicon data/riasec_lexicon.json (see docs/domain.md). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = derive_interest_profiles(actor=None)
        self.stdout.write(
            f"Interest profiles ({load_lexicon().method}): {counts['created']} created, {counts['updated']} "
            f"updated, {counts['unchanged']} unchanged in {time.monotonic() - started:.1f} s."
        )
