from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ausbildung.core.models import TrainingContract
from ausbildung.records import reminders
from ausbildung.records.services import verify_contract


class Command(BaseCommand):
    help = (
        "Training records: 'verify' checks the signature chains (tampered or missing links), "
        "'remind' sends the weekly reminder mails (on the configured weekday unless --force)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check the hash chain of signed periods")
        verify.add_argument("--contract", type=int, help="only this contract (id)")
        remind = sub.add_parser("remind", help="send reminder mails (run daily)")
        remind.add_argument(
            "--force", action="store_true", help="send even if today is not the reminder weekday"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options.get("contract"))
        else:
            sent = reminders.enqueue(force=options["force"])
            self.stdout.write("Reminders queued." if sent else "Not the reminder weekday; nothing sent.")

    def verify(self, contract_id: int | None) -> None:
        contracts = TrainingContract.objects.filter(record_signatures__isnull=False).distinct().order_by("pk")
        if contract_id is not None:
            contracts = TrainingContract.objects.filter(pk=contract_id)
            if not contracts.exists():
                raise CommandError(f"no contract with id {contract_id}.")
        failures = 0
        checked = 0
        for contract in contracts:
            checked += 1
            for problem in verify_contract(contract):
                failures += 1
                self.stdout.write(f"contract {contract.pk} ({contract.apprentice}): {problem}")
        if failures:
            raise CommandError(f"{failures} problem(s) in the signature chains of {checked} contract(s).")
        self.stdout.write(f"{checked} contract(s) checked: all signature chains intact.")
