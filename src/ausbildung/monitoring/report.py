"""One table model for every monitoring table (issue #19), and its files: the page (`monitoring/_table.html`),
CSV, XLSX and JSON are all made from the same `Table`, so a download always holds what the page shows.

A `Table` has columns and rows of `Cell`s. A cell keeps the raw value (int for a count or year, float for a
ratio or share, str for text, None for a suppressed or unpublished number) beside the German text the page
shows ("–" for None, thousands dot, one decimal place with a decimal comma for ratios) and an optional
footnote marker that one of the table's notes explains. The first cell of a row names the row.

- `to_csv_bytes(table)`: the shown texts (marker appended), as on the page; UTF-8 with BOM, semicolons.
- `to_xlsx_bytes(tables)`: one sheet per table with the raw numbers as numbers ("#,##0" counts, "0.0" ratios).
- `to_json(table)`: a plain dict with the raw values (null where suppressed), for the API.

Text that a spreadsheet would read as a formula ("=cmd") stays text in both files (`core.csv_cells`).
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ausbildung.core.csv_cells import FORMULA_PREFIXES, safe_row

__all__ = [
    "Cell",
    "Column",
    "Source",
    "Table",
    "count_cell",
    "ratio_cell",
    "sheet_names",
    "text_cell",
    "to_csv_bytes",
    "to_json",
    "to_xlsx_bytes",
    "year_cell",
]

Kind = Literal["text", "count", "ratio", "year"]
Raw = int | float | str | None

SUPPRESSED = "–"  # the page's sign for a suppressed or unpublished number
COUNT_FORMAT = "#,##0"
RATIO_FORMAT = "0.0"
YEAR_FORMAT = "0"
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column: `key` names it in the JSON, `label` heads it; `kind` says what its numbers are."""

    key: str
    label: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Cell:
    """One value: `raw` for files and the API, `shown` as the page prints it, `marker` a footnote sign."""

    raw: Raw
    shown: str
    marker: str = ""

    @property
    def text(self) -> str:
        """The shown text with its footnote marker, as the page reads ("486.711 a")."""
        return f"{self.shown} {self.marker}" if self.marker else self.shown


class Source(NamedTuple):
    """A publication a table's figures come from, with the year it reports on (None: not one year)."""

    url: str
    title: str
    year: int | None


@dataclass(frozen=True)
class Table:
    """A monitoring table. `key` is unique on a page and names its downloads (`official-DE`, `platform`);
    `as_of` is the ISO date of the data (the latest import, or today for live counts)."""

    key: str
    title: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    as_of: str = ""
    links: list[str] = field(default_factory=list)  # per row: the page its first cell links to ("" none)

    @property
    def labelled_rows(self) -> list[list[tuple[Column, Cell]]]:
        """Each row's cells beside their columns, for the template (each cell after its column's label)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    @property
    def linked_rows(self) -> list[tuple[str, list[tuple[Column, Cell]]]]:
        """`labelled_rows`, each with the link of its first cell ("" without one)."""
        links = list(self.links) + [""] * (len(self.rows) - len(self.links))
        return list(zip(links, self.labelled_rows, strict=False))

    @property
    def body_html(self) -> SafeString:
        """The rows as the `<tbody>` content of `monitoring/_table.html`: built here, every text escaped with
        `html.escape`, rather than by template loops, which took most of a national page's time (a table of
        300 occupations is thousands of cells)."""
        labels = [html.escape(str(column.label)) for column in self.columns]
        parts: list[str] = []
        for href, row in self.linked_rows:
            cells = []
            for index, (_column, cell) in enumerate(row):
                text = html.escape(str(cell.shown))
                if index == 0 and href:
                    text = f'<a class="kern-link" href="{html.escape(href)}">{text}</a>'
                if cell.marker:
                    text += f" <sup>{html.escape(str(cell.marker))}</sup>"
                if index == 0:
                    cells.append(
                        f'<th scope="row" class="kern-table__cell" data-label="{labels[0]}">{text}</th>'
                    )
                else:
                    cells.append(f'<td class="kern-table__cell" data-label="{labels[index]}">{text}</td>')
            parts.append(f'<tr class="kern-table__row">{"".join(cells)}</tr>')
        return mark_safe("\n".join(parts))  # noqa: S308 - every text above is escaped

    @property
    def as_of_date(self) -> datetime.date | None:
        """`as_of` as a date, for the template's date filter."""
        try:
            return datetime.date.fromisoformat(self.as_of)
        except ValueError:
            return None


# --- cells (the German text of a value) ---------------------------------------------------------------------


def format_count(value: int | float | Decimal | None) -> str:
    """A count as German text (thousands dot); None as "–"."""
    if value is None:
        return SUPPRESSED
    return f"{round(value):,}".replace(",", ".")


def format_ratio(value: int | float | Decimal | None) -> str:
    """A ratio or share with one decimal place and a decimal comma, as BIBB prints it; None as "–"."""
    if value is None:
        return SUPPRESSED
    return f"{float(value):,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def count_cell(value: int | float | Decimal | None, marker: str = "") -> Cell:
    """A count (raw: int, or None when suppressed or not published)."""
    raw = None if value is None else round(value)
    return Cell(raw, format_count(raw), marker)


def ratio_cell(value: int | float | Decimal | None, marker: str = "") -> Cell:
    """A ratio or share (raw: float rounded to the one decimal place shown)."""
    raw = None if value is None else round(float(value), 1)
    return Cell(raw, format_ratio(raw), marker)


def year_cell(year: int | None, marker: str = "") -> Cell:
    """A year, printed without a thousands dot."""
    return Cell(year, SUPPRESSED if year is None else str(year), marker)


def text_cell(value: str, marker: str = "") -> Cell:
    return Cell(value, value, marker)


# --- CSV ---------------------------------------------------------------------------------------------------


def _source_line(source: Source) -> str:
    year = f" ({source.year})" if source.year else ""
    return f"{source.title or source.url}{year}: {source.url}"


def _trailing_lines(table: Table) -> list[str]:
    lines = list(table.notes)
    if table.sources:
        lines.append(_("Sources:"))
        lines += [_source_line(source) for source in table.sources]
    if table.as_of:
        lines.append(_("As of: %(date)s") % {"date": table.as_of})
    return lines


def to_csv_bytes(table: Table) -> bytes:
    """The table as CSV: header row, rows of the shown texts (with markers), then a blank line, the notes,
    the sources and the date, one per line. UTF-8 with BOM and semicolons, as German spreadsheets open it."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(safe_row(column.label for column in table.columns))
    for row in table.rows:
        writer.writerow(safe_row(cell.text for cell in row))
    trailing = _trailing_lines(table)
    if trailing:
        writer.writerow([])
        for line in trailing:
            writer.writerow(safe_row([line]))
    return buffer.getvalue().encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------------------


def sheet_names(titles: list[str]) -> list[str]:
    """Sheet names for the titles: without the characters Excel forbids (``[]:*?/\\``), at most 31
    characters, unique regardless of case (a repeated name gets " (2)", " (3)" … within the 31)."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = SHEET_NAME_FORBIDDEN.sub("-", title).strip().strip("'") or _("Table")
        name = base[:SHEET_NAME_MAX]
        number = 2
        while name.lower() in taken:
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        taken.add(name.lower())
        names.append(name)
    return names


def _number_format(column: Column, cell: Cell) -> str:
    if column.kind == "year":
        base = YEAR_FORMAT
    elif isinstance(cell.raw, float):
        base = RATIO_FORMAT
    else:
        base = COUNT_FORMAT
    if cell.marker:  # the marker shows beside the number, which stays a number
        base += '" ' + cell.marker.replace('"', "") + '"'
    return base


def _put_text(sheet: Any, row: int, column: int, text: str) -> Any:
    """A text cell that stays text: openpyxl would store a leading "=" as a formula."""
    target = sheet.cell(row=row, column=column)
    target.value = text
    target.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        target.quotePrefix = True
    return target


def to_xlsx_bytes(tables: list[Table]) -> bytes:
    """A workbook with one sheet per table: the title in row 1, the bold header in row 2, the rows below with
    counts and ratios as numbers (None as the text "–"), then the notes, sources and date. The header row and
    the first column stay in view when scrolling."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table, name in zip(tables, sheet_names([t.title for t in tables]), strict=True):
        sheet = workbook.create_sheet(name)
        _put_text(sheet, 1, 1, table.title).font = bold
        widths = [len(column.label) for column in table.columns]
        for index, column in enumerate(table.columns, start=1):
            _put_text(sheet, 2, index, column.label).font = bold
        for row_index, row in enumerate(table.rows, start=3):
            for index, (column, cell) in enumerate(zip(table.columns, row, strict=True), start=1):
                widths[index - 1] = max(widths[index - 1], len(cell.text))
                if isinstance(cell.raw, int | float) and not isinstance(cell.raw, bool):
                    target = sheet.cell(row=row_index, column=index, value=cell.raw)
                    target.number_format = _number_format(column, cell)
                else:
                    _put_text(sheet, row_index, index, cell.text)
        line = len(table.rows) + 4
        for text in _trailing_lines(table):
            _put_text(sheet, line, 1, text)
            line += 1
        sheet.freeze_panes = "B3"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- JSON --------------------------------------------------------------------------------------------------


def to_json(table: Table) -> dict[str, Any]:
    """The table as a plain dict: `rows` map each column key to the raw value (null where suppressed or not
    published); `markers` map a column key to the row's footnote marker where there is one."""
    return {
        "key": table.key,
        "title": table.title,
        "caption": table.caption,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": [{c.key: cell.raw for c, cell in zip(table.columns, row, strict=True)} for row in table.rows],
        "shown": [
            {c.key: cell.shown for c, cell in zip(table.columns, row, strict=True)} for row in table.rows
        ],
        "markers": [
            {c.key: cell.marker for c, cell in zip(table.columns, row, strict=True) if cell.marker}
            for row in table.rows
        ],
        "notes": list(table.notes),
        "sources": [{"url": s.url, "title": s.title, "year": s.year} for s in table.sources],
        "as_of": table.as_of,
    }
