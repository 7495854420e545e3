from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ausbildung.offers import ba_import

SHOW_SKIPPED = 20


class Command(BaseCommand):
    help = (
        "Import training places from the Bundesagentur für Arbeit's Jobsuche (angebotsart=4, Ausbildung/Duales "
        "Studium): from a saved search response (a JSON file or a directory of page files) or, with --live, "
        f"from {ba_import.BASE_URL}{ba_import.SEARCH_PATH}. Re-importing updates offers with the same BA "
        "reference number; broken records are skipped and listed, the rest is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", metavar="FILE_OR_DIR", help="a search response or a directory of pages"
        )
        parser.add_argument(
            "--live", action="store_true", help="query the live Jobsuche API instead of a file"
        )
        parser.add_argument("--was", default="", help="live: what (occupation or keyword), e.g. Tischler")
        parser.add_argument("--wo", default="", help="live: where (place or postcode), e.g. Saarbrücken")
        parser.add_argument("--umkreis", type=int, default=None, help="live: radius in km around --wo")
        parser.add_argument("--pages", type=int, default=5, help="live: at most this many pages (default 5)")
        parser.add_argument(
            "--size", type=int, default=50, help=f"live: records per page (at most {ba_import.PAGE_SIZE_MAX})"
        )
        parser.add_argument("--details", action="store_true", help="live: fetch each offer's description too")
        parser.add_argument(
            "--timeout", type=float, default=ba_import.DEFAULT_TIMEOUT, help="live: seconds per request"
        )
        parser.add_argument("--base-url", default=ba_import.BASE_URL, help="live: API base URL (a mirror)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--verbose-report", action="store_true", help="list every skipped record")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = not options["no_progress"]
        client = None
        try:
            if options["live"]:
                if options["path"]:
                    raise CommandError("give either FILE_OR_DIR or --live, not both.")
                if options["pages"] < 1 or not 1 <= options["size"] <= ba_import.PAGE_SIZE_MAX:
                    raise CommandError(
                        f"--pages must be at least 1 and --size between 1 and {ba_import.PAGE_SIZE_MAX}."
                    )
                client = ba_import.JobsucheClient(base_url=options["base_url"], timeout=options["timeout"])
                pages = self._fetch(client, options, progress)
            else:
                if not options["path"]:
                    raise CommandError("give a FILE_OR_DIR to import, or --live with --was/--wo.")
                if options["details"]:
                    raise CommandError(
                        "--details needs --live (a saved search response has no descriptions)."
                    )
                pages = ba_import.read_pages(Path(options["path"]))
            total = sum(len(page.records) for page in pages)
            report = ba_import.import_records(
                ba_import.records_of(pages),
                details=client.details if client is not None and options["details"] else None,
                progress=progress,
                total=total,
            )
        except ba_import.BAImportError as exc:
            raise CommandError(str(exc)) from None
        self._report(report, total, options["verbose_report"])

    def _fetch(
        self, client: ba_import.JobsucheClient, options: dict[str, Any], progress: bool
    ) -> list[ba_import.Page]:
        size, max_pages = options["size"], options["pages"]
        iterator = client.pages(
            was=options["was"], wo=options["wo"], umkreis=options["umkreis"], max_pages=max_pages, size=size
        )
        # The first page before the progress bar: an unreachable API ends with one line, not a bar and a line.
        pages = [next(iterator)]
        expected = max_pages
        if pages[0].total is not None:
            expected = max(1, min(max_pages, -(-pages[0].total // size)))
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=expected, initial=1, desc="Fetching pages", unit="page")
        try:
            for page in iterator:
                pages.append(page)
                if bar is not None:
                    bar.update()
        finally:
            if bar is not None:
                bar.close()
        return pages

    def _report(self, report: ba_import.ImportReport, total: int, verbose: bool) -> None:
        out = self.stdout
        out.write(
            f"{total} records: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped."
        )
        out.write(
            f"New imported companies: {report.companies_created}, new training sites: {report.sites_created}."
        )
        if report.closed:
            out.write(f"Closed (training has started): {', '.join(report.closed)}.")
        shown = report.skipped if verbose else report.skipped[:SHOW_SKIPPED]
        for label, reason in shown:
            out.write(f"  skipped: {label}: {reason}")
        if len(shown) < len(report.skipped):
            out.write(
                f"  … and {len(report.skipped) - len(shown)} more skipped (--verbose-report lists all)."
            )
        for refnr, problem in report.detail_problems[:SHOW_SKIPPED]:
            out.write(f"  no details: {refnr}: {problem}")
