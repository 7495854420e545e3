from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.core.models import User
from ausbildung.core.privacy import document, erasure, export


class Command(BaseCommand):
    help = (
        "Data protection: 'document' writes docs/privacy.md from the registry of personal data (DSGVO Art. 30); "
        "'export USERNAME OUT.zip' writes the copy of a person's data (Art. 15/20) for a request received on "
        "paper (audited); 'erase USERNAME --reference R' erases a person's data for a request received on paper "
        "(Art. 17, with its exceptions); 'erase-expired' erases what has passed its retention period (run daily "
        "from cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        doc = sub.add_parser("document", help="write docs/privacy.md (or PATH) from the registry")
        doc.add_argument("path", nargs="?", type=Path, help="where to write it (default: docs/privacy.md)")
        out = sub.add_parser("export", help="write the ZIP of a person's data (audited as privacy.export)")
        out.add_argument("username")
        out.add_argument("out", type=Path)
        out.add_argument(
            "--reference", default="", help="the request's reference, e.g. 'Brief vom 3.12.2026'"
        )
        erase = sub.add_parser(
            "erase",
            help="erase a person's data for a request received on paper (DSGVO Art. 17; what must be kept stays)",
        )
        erase.add_argument("username")
        erase.add_argument(
            "--reference", required=True, help="the request's reference, e.g. 'Brief vom 3.12.2026'"
        )
        erase.add_argument(
            "--yes", action="store_true", help="do it (without: show what would be erased and kept)"
        )
        expired = sub.add_parser("erase-expired", help="erase what has passed its retention period (daily)")
        expired.add_argument("--dry-run", action="store_true", help="count only, erase nothing")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "document":
            path = options["path"] or document.document_path()
            try:
                path.write_text(document.render(), encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot write {path}: {error.strerror}") from None
            self.stdout.write(f"{path} written.")
        elif action == "export":
            person = User.objects.filter(username=options["username"]).first()
            if person is None:
                raise CommandError(f"no person with username {options['username']!r}.")
            if options["out"].exists():
                raise CommandError(f"{options['out']} exists; choose another file.")
            content = export.person_export(
                actor=None, person=person, reference=options["reference"] or "command line"
            )
            try:
                options["out"].write_bytes(content)
            except OSError as error:
                raise CommandError(f"cannot write {options['out']}: {error.strerror}") from None
            self.stdout.write(f"{options['out']} written ({len(content)} bytes).")
        elif action == "erase":
            self.erase(options)
        else:
            report = erasure.erase_expired(dry_run=options["dry_run"])
            verb = "would erase" if options["dry_run"] else "erased"
            for key, count in sorted(report.erased.items()):
                self.stdout.write(f"{key}: {verb} {count} row(s)")
            self.stdout.write(
                f"accounts: {'would anonymise' if options['dry_run'] else 'anonymised'} {report.accounts}"
            )
            self.stdout.write(f"{'Dry run: ' if options['dry_run'] else ''}{report.total} in total.")

    def erase(self, options: dict[str, Any]) -> None:
        person = User.objects.filter(username=options["username"]).first()
        if person is None:
            raise CommandError(f"no person with username {options['username']!r}.")
        if not options["reference"].strip():
            raise CommandError("--reference must name the request (e.g. 'Brief vom 3.12.2026').")
        if not options["yes"]:
            for kind, kept in erasure.erasure_preview(person):
                until = kept.until.isoformat() if kept.until else "not yet known"
                self.stdout.write(f"kept: {kind.key} until {until}")
            self.stdout.write("Nothing erased: repeat with --yes to erase the rest.")
            return
        report = erasure.person_erase(actor=None, person=person, reference=options["reference"].strip())
        for key, count in sorted(report.erased.items()):
            self.stdout.write(f"{key}: erased {count} row(s)")
        for kind, kept in report.kept:
            until = kept.until.isoformat() if kept.until else "not yet known"
            self.stdout.write(f"kept: {kind.key} until {until}")
        self.stdout.write("account anonymised." if report.anonymised else "account kept (data must be kept).")
