from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.core.models import TrainingContract
from ausbildung.records import integrity, reminders, services
from ausbildung.records.models import RecordSignature


class Command(BaseCommand):
    help = (
        "Training records: 'verify' checks the signature chains (keyed links, signed versions, and the anchor "
        "log outside the database), 'seal-legacy' anchors the signatures made before keyed signatures in that "
        "log (once, after upgrading), 'working-time' recomputes the stored working-time findings of every recorded "
        "week (once after upgrading, and after the working-time rules change), 'remind' sends the weekly reminder mails (on the configured weekday "
        "unless --force)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="check the signature chains against their keys and the anchor log"
        )
        verify.add_argument("--contract", type=int, help="only this contract (id)")
        verify.add_argument(
            "--anchor-log",
            action="append",
            type=Path,
            default=[],
            help="read these anchor log files (e.g. rotated ones) as well as RECORD_ANCHOR_LOG; repeatable",
        )
        sub.add_parser(
            "seal-legacy",
            help="anchor the signatures made before keyed signatures in the anchor log (run once after upgrading)",
        )
        sub.add_parser(
            "working-time",
            help="recompute the working-time findings of every recorded week (after upgrading or a rule change)",
        )
        remind = sub.add_parser("remind", help="send reminder mails (run daily)")
        remind.add_argument(
            "--force", action="store_true", help="send even if today is not the reminder weekday"
        )

    @no_translations  # one language on the console: the English source texts (the web page says them in German)
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options.get("contract"), options["anchor_log"])
        elif options["action"] == "seal-legacy":
            self.seal_legacy()
        elif options["action"] == "working-time":
            weeks = services.working_time_recompute_all()
            self.stdout.write(f"{weeks} recorded week(s) checked; working-time findings stored anew.")
        else:
            sent = reminders.enqueue(force=options["force"])
            self.stdout.write("Reminders queued." if sent else "Not the reminder weekday; nothing sent.")

    def verify(self, contract_id: int | None, extra_logs: list[Path]) -> None:
        """One line per problem, then a summary; exits non-zero when any problem is found."""
        log_paths = [*extra_logs, integrity.anchor_path()]
        anchors = integrity.anchor_read(log_paths)
        problems: list[str] = [f"anchor log: {problem}" for problem in anchors.problems]
        keyed = RecordSignature.objects.exclude(key_id="")
        if not anchors.found and keyed.exists():
            problems.append(
                f"anchor log: {integrity.anchor_path()} does not exist, but {keyed.count()} keyed signature(s) "
                "should be in it"
            )
        ids = (
            set(RecordSignature.objects.values_list("contract_id", flat=True).distinct())
            | anchors.contracts()
        )
        if contract_id is not None:
            if not TrainingContract.objects.filter(pk=contract_id).exists() and contract_id not in ids:
                raise CommandError(f"no contract with id {contract_id}.")
            ids = {contract_id}
        contracts = TrainingContract.objects.filter(pk__in=ids).select_related("apprentice").in_bulk()
        legacy, erased = 0, 0
        for pk in sorted(ids):
            contract = contracts.get(pk)
            if contract is None and anchors.erased(pk) is not None:
                erased += 1  # erased after its retention period, recorded in the anchor log (records.privacy)
                continue
            if contract is None:
                problems.append(
                    f"contract {pk}: in the anchor log but not in the database (deleted with its signatures)"
                )
                continue
            report = integrity.check_contract(contract, anchors=anchors if anchors.found else None)
            legacy += report.legacy
            problems.extend(
                f"contract {pk} ({contract.apprentice}): {problem}" for problem in report.problems
            )
        for problem in problems:
            self.stdout.write(problem)
        if legacy:
            self.stdout.write(
                f"{legacy} legacy signature(s) made before keyed signatures: checked as plain SHA-256 links, "
                "which someone with write access to the database could recompute."
            )
        if erased:
            self.stdout.write(
                f"{erased} contract(s) erased after their retention period, as the anchor log records."
            )
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in the signature chains of {len(ids)} contract(s)."
            )
        self.stdout.write(f"{len(ids)} contract(s) checked: all signature chains intact.")

    def seal_legacy(self) -> None:
        """Anchor every contract's legacy links; a contract whose chain has problems is named and left alone."""
        anchors = integrity.anchor_read()
        if anchors.problems:
            raise CommandError(
                f"the anchor log has problems; run 'records verify' first: {anchors.problems[0]}"
            )
        ids = RecordSignature.objects.filter(key_id="").values_list("contract_id", flat=True).distinct()
        written, refused = 0, 0
        for contract in (
            TrainingContract.objects.filter(pk__in=ids).select_related("apprentice").order_by("pk")
        ):
            try:
                written += integrity.seal_legacy(contract, anchors=anchors)
            except ValueError as problem:
                refused += 1
                self.stdout.write(f"contract {contract.pk} ({contract.apprentice}): not sealed: {problem}")
        if refused:
            raise CommandError(f"{refused} contract(s) not sealed because of problems in their chains.")
        self.stdout.write(f"{written} anchor line(s) written for legacy signatures.")
