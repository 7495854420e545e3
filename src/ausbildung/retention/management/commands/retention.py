from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.retention import nightly


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Dropout prevention: 'assess' scores every contract in training and stores the shared scores for the "
        "chamber's figures and the score's quality check (run once a night; --day assesses a past day)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        assess = sub.add_parser("assess", help="score every contract in training (nightly, e.g. from cron)")
        assess.add_argument("--day", type=str, help="a past day to assess (YYYY-MM-DD; default: today)")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["day"]) if options.get("day") else None
        try:
            report = nightly.assess(day)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{report.day:%Y-%m-%d}: {report.contracts} contracts scored ({report.watch} keep in view, "
            f"{report.talk} talk needed) in {report.seconds:.1f} s; {report.deleted} old scores deleted"
        )
        if day is None:
            check = nightly.check_quality()
            shown = "too little history" if check.auc is None else f"AUC {check.auc:.2f}"
            self.stdout.write(
                f"quality: {shown} ({check.days} scored days, {check.dissolved} contracts dissolved within "
                f"{check.horizon_months} months, {check.not_dissolved} not)"
            )
