from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, no_translations

from ausbildung.monitoring import cube, shipped, tables
from ausbildung.monitoring.models import OfficialFigure
from ausbildung.monitoring.services import SaveReport, official_figures_save


class Command(BaseCommand):
    help = (
        "Official figures for the monitoring: 'load-shipped' loads the figures shipped with the platform "
        "(data/statistics/figures.csv, idempotent); 'import FILE --source-url URL' reads a table as BIBB, BA or a "
        "statistical office publishes it (CSV with semicolons or XLSX, a named sheet or every sheet that is a table; "
        "title rows, header rows over two lines, footnotes, the offices' signs and the rounding to multiples of 3) "
        "and reports what it read; a file it cannot read is refused whole, with one line."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load-shipped", help="load the shipped official figures (idempotent)")
        sub.add_parser("refresh", help="rebuild the platform's counts for the monitoring pages (cron)")
        table = sub.add_parser("import", help="import a published table (CSV or XLSX; idempotent)")
        table.add_argument("file", type=Path)
        table.add_argument("--source-url", required=True, help="where the table was published")
        table.add_argument(
            "--sheet", help="the sheet of an XLSX workbook (default: every sheet that is a table)"
        )
        table.add_argument("--title", default="", help="the source's title (default: the table's title row)")
        table.add_argument("--year", type=int, help="the year, when the column headers do not name it")
        table.add_argument(
            "--year-kind",
            choices=[choice.value for choice in OfficialFigure.YearKind if choice != "unstated"],
            default=OfficialFigure.YearKind.REPORTING_YEAR.value,
            help="reporting_year: 1.10.-30.9. (BIBB, BA; default); calendar_year: Berufsbildungsstatistik; "
            "stock_3112: stock on 31.12.; stand_0110: as of 1.10.",
        )
        table.add_argument(
            "--area-level",
            choices=[
                OfficialFigure.AreaLevel.LAND,
                OfficialFigure.AreaLevel.KREIS,
                OfficialFigure.AreaLevel.AGENCY,
            ],
            help="what the area column holds, when its header does not say (agentur needs a code in each row)",
        )
        table.add_argument(
            "--secondary",
            action="store_true",
            help="the table is a report quoting the office, not the office's own",
        )
        table.add_argument(
            "--rounded-to",
            type=int,
            choices=[3],
            help="the counts are rounded to multiples of 3 (BIBB Länder tables)",
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            done = cube.refresh()
            seconds = (done.finished_at - done.started_at).total_seconds()
            self.stdout.write(
                f"monitoring cube rebuilt: {done.facts} facts, {done.cells} cells in {seconds:.1f} s"
            )
            return
        if options["action"] == "load-shipped":
            report = shipped.load_shipped()
            self.stdout.write(f"{shipped.FIGURES_FILE.name}: {self.summary(report)}")
            return
        path: Path = options["file"]
        table_options = tables.TableOptions(
            source_url=options["source_url"].strip(),
            source_title=options["title"].strip(),
            year=options["year"],
            year_kind=options["year_kind"],
            kind=OfficialFigure.Kind.SECONDARY if options["secondary"] else OfficialFigure.Kind.OFFICIAL,
            area_level=options["area_level"],
            rounded_to=options["rounded_to"],
            sheet=options["sheet"],
        )
        if not table_options.source_url:
            raise CommandError("--source-url must name where the table was published.")
        try:
            read = tables.read_file(path, table_options)
        except tables.TableError as error:
            raise CommandError(str(error)) from None
        for table in read.tables:
            self.stdout.write(self.table_line(path, table))
        for sheet, reason in read.skipped:
            self.stdout.write(f"{path.name}, sheet {sheet!r}: skipped, {reason}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        report = official_figures_save(rows=read.rows, batch=f"import {path.name[:80]} {digest}")
        self.stdout.write(f"{path.name}: {self.summary(report)}")
        self.stdout.write(f"  source: {read.rows[0].source_title} ({table_options.source_url})")
        rounded = {table.rounded_to for table in read.tables if table.rounded_to}
        for step in sorted(rounded):
            self.stdout.write(f"  counts rounded to multiples of {step}, kept as published")
        missing = sum(1 for row in read.rows if row.value is None)
        if missing:
            self.stdout.write(f"  {missing} cell(s) without a number (the office's sign kept)")
        ignored = [column for table in read.tables for column in table.ignored_columns]
        if ignored:
            self.stdout.write(f"  ignored columns: {', '.join(repr(c) for c in ignored)}")
        footnotes = sum(len(table.footnotes) for table in read.tables)
        if footnotes:
            self.stdout.write(f"  {footnotes} footnote line(s) read")

    @staticmethod
    def table_line(path: Path, table: tables.Table) -> str:
        """One line per table read: rows, figures, years, indicators (what is saved follows below)."""
        where = f"{path.name}, sheet {table.sheet!r}" if table.sheet else path.name
        years = sorted({row.year for row in table.rows})
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        indicators = sorted({row.indicator for row in table.rows})
        levels = sorted({row.area_level for row in table.rows})
        extra = []
        if any(row.occupation_code for row in table.rows):
            extra.append("by occupation")
        if any(row.responsibility_area for row in table.rows):
            extra.append("by Zuständigkeitsbereich")
        return (
            f"{where}: read {table.data_rows} rows, {len(table.rows)} figures; years {span}; "
            f"areas {', '.join(levels)}{''.join(f'; {each}' for each in extra)}; "
            f"indicators {', '.join(indicators)}"
        )

    @staticmethod
    def summary(report: SaveReport) -> str:
        years = sorted(report.years)
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "none")
        names = sorted(report.indicators)
        listed = f": {', '.join(names)}" if len(names) <= 6 else ""
        return (
            f"{report.rows} figures ({report.created} new, {report.updated} corrected, {report.unchanged} unchanged); "
            f"{len(names)} indicator(s){listed}; "
            f"{len(report.areas)} area(s); years {span}"
        )
