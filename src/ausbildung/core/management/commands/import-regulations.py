from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ausbildung.core.regulations.importer import DEFAULT_DIR, import_files


class Command(BaseCommand):
    help = (
        "Import federal training regulations (Markdown, one file each) into the occupation catalogue. "
        "Idempotent; a newer version of a regulation replaces the older one. Without DIR, the texts shipped "
        "with the platform (Stand March 2022) are imported."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="*", metavar="DIR|FILE", help="directories or .md files to import")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--verbose-report", action="store_true", help="list every skipped or incomplete file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        for raw in options["paths"] or [str(DEFAULT_DIR)]:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(path.glob("*.md")))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or directory.")
        if not files:
            raise CommandError("no .md files found.")
        report = import_files(files, actor=None, progress=not options["no_progress"])
        out = self.stdout
        out.write(
            f"{report.files} files, {report.training_regulations} training regulations: "
            f"{len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.superseded)} superseded versions, {len(report.skipped)} not training regulations."
        )
        out.write(
            f"Complete with framework plan: {report.complete} of {report.training_regulations} "
            f"({report.completeness:.1%})."
        )
        counts = report.recognised_under
        out.write(
            f"Recognised under: BBiG {counts['bbig']}, HwO {counts['hwo']}, BBiG and HwO {counts['bbig+hwo']}, "
            f"not stated {counts['']} occupations"
            + (
                f" (filled in for {len(report.recognition_filled)} unchanged occupations)."
                if report.recognition_filled
                else "."
            )
        )
        without, sections, regulations = report.unassigned_sections
        out.write(
            f"Sections without specialisation (shown to every apprentice): {without} of {sections} sections "
            f"in {regulations} regulations with specialisations."
        )
        if report.plan_refreshed:
            out.write(
                f"Framework plan updated in place (specialisation, compulsory/elective/additional) for "
                f"{len(report.plan_refreshed)} unchanged occupations."
            )
        for name, reason in report.unreadable:
            out.write(self.style.ERROR(f"  unreadable: {name}: {reason}"))
        if options["verbose_report"]:
            for name, kind in report.skipped:
                out.write(f"  skipped ({kind}): {name}")
            for name, by in report.superseded:
                out.write(f"  superseded: {name} (by {by})")
            for name, (missing, total) in sorted(report.sections_without_specialisation.items()):
                if missing:
                    out.write(f"  sections without specialisation: {name}: {missing} of {total}")
        for name, problem in report.incomplete:
            out.write(f"  incomplete: {name}: {problem}")
        if report.unreadable:
            raise CommandError(f"{len(report.unreadable)} file(s) could not be read.")
