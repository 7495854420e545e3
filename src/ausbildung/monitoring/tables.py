"""Reading the tables the offices publish (BIBB, BA, Destatis, Länder offices) into official figures.

A table as published: title and note lines above; a header of one or more rows (a group row such as
"2023 | 2023 | 2024 | 2024" above "Neue Verträge | unbesetzt | …"; merged cells count for every column they
span); a row-label column (Land, Kreis with its 5-digit AGS, Agenturbezirk, occupation with its code, or
Zuständigkeitsbereich; a code column beside a name column is read as one label); one row per area, occupation or
Zuständigkeitsbereich; then footnote lines ("1) …", "Quelle: …", "Stand: …"). CSV with semicolons (UTF-8 with or
without BOM, Windows-1252 or Latin-1) or XLSX (a named sheet, or every sheet that is a table). Nothing here
writes: `read_file` returns the tables read and the sheets skipped, or raises `TableError` with one line.

Signs in place of a number (the Zeichenerklärung of the statistical offices): "-", "–" nothing (exactly zero:
stored as 0 with the sign), "." unknown or secret, "x" cell blocked, "/" not reliable enough, "…" later, "*"
anonymised (BA): stored without a value, with the sign as printed. BIBB rounds the absolute values of its Länder tables to multiples of 3: a note saying so
(or --rounded-to 3) marks every count except the national total `rounded_to=3`, and a count that is not a
multiple of 3 refuses the file; the values stay as published.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from .models import OfficialFigure
from .services import FigureRow

AreaLevel = OfficialFigure.AreaLevel
YearKind = OfficialFigure.YearKind

SIGNS = {"-", "–", "—", ".", "x", "X", "/", "…", "...", "*"}
SIGNS_TEXT = "- – . x / … *"
# "-" means "nothing" in the offices' Zeichenerklärung: exactly zero, so it is kept as 0 with its sign; the
# other signs mean that no number is published and are kept without a value.
ZERO_SIGNS = {"-", "–", "—"}


class TableError(ValueError):
    """The file cannot be read as an office's table; the message is one readable line."""


@dataclass(frozen=True)
class TableOptions:
    source_url: str
    source_title: str = ""
    year: int | None = None
    year_kind: str = YearKind.REPORTING_YEAR
    kind: str = OfficialFigure.Kind.OFFICIAL
    area_level: str | None = None
    rounded_to: int | None = None
    sheet: str | None = None


@dataclass
class Table:
    """The figures of one table (a CSV file or one sheet of a workbook)."""

    rows: list[FigureRow]
    title: str
    sheet: str = ""
    data_rows: int = 0
    footnotes: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rounded_to: int | None = None


@dataclass
class FileRead:
    """What one file held: its tables, and the sheets skipped with the reason."""

    tables: list[Table]
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> list[FigureRow]:
        return [row for table in self.tables for row in table.rows]


class _NotATable(Exception):
    """This grid has no header the importer knows (a sheet that is skipped, or a file that is refused)."""


# --- what the headers and labels say (normalised: lower case, umlauts spelled out, footnote marks removed)

# (words that must all occur, indicator, unit); the first match wins, so the specific come first.
HEADERS: list[tuple[tuple[str, ...], str, str]] = [
    (("relation", "erweitert"), "Angebots_Nachfrage_Relation_erweitert", "offers per 100 demanders"),
    (("relation", "tradition"), "Angebots_Nachfrage_Relation_traditionell", "offers per 100 demanders"),
    (("alternative",), "Bewerber_mit_Alternative_und_Vermittlungswunsch_3009", "count"),
    (("unversorgt",), "unversorgte_Bewerber_3009", "count"),
    (("noch suchend",), "noch_suchende_Bewerber_insgesamt_3009", "count"),
    (("gemeldet", "bewerber"), "BA_gemeldete_Bewerber", "count"),
    (("gemeldet", "betrieblich", "stellen"), "BA_gemeldete_betriebliche_Berufsausbildungsstellen", "count"),
    (("gemeldet", "stellen"), "BA_gemeldete_Berufsausbildungsstellen", "count"),
    (("unbesetzt", "betrieblich"), "unbesetzte_betriebliche_Ausbildungsstellen_3009", "count"),
    (("unbesetzt",), "unbesetzte_Ausbildungsstellen_3009", "count"),
    (("vertragsloesungsquote",), "Vertragsloesungsquote", "percent"),
    (("vorzeitig", "geloest"), "vorzeitig_geloeste_Ausbildungsvertraege", "count"),
    (("neu", "ausbildungsvertraege"), "NEW_CONTRACTS", "count"),
    (("neue", "vertraege"), "NEW_CONTRACTS", "count"),
    (("nachfrage", "erweitert"), "Ausbildungsplatznachfrage_erweitert", "count"),
    (("nachfrage", "tradition"), "Ausbildungsplatznachfrage_traditionell", "count"),
    (("angebot", "betrieblich"), "Ausbildungsplatzangebot_betrieblich", "count"),
    (("angebot",), "Ausbildungsplatzangebot", "count"),
]
# New contracts: the BIBB survey counts the reporting year (to 30.9.), the Berufsbildungsstatistik the calendar
# year (to 31.12.); data/statistics/definitions.md: never one series.
NEW_CONTRACTS: dict[str, str] = {
    YearKind.REPORTING_YEAR: "neue_Ausbildungsvertraege_BIBB_3009",
    YearKind.CALENDAR_YEAR: "neue_Ausbildungsvertraege_Berufsbildungsstatistik_3112",
}
# Columns the offices add beside the figures (changes, shares): read past, listed in the report.
IGNORED_WORDS = ("veraenderung", "differenz", "anteil", "vorjahr")

OCCUPATION = "occupation"
RESPONSIBILITY = "responsibility"
# The header of the row-label column -> what the rows are (None: a region, its level read from each label).
LABEL_HEADERS: dict[str, str | None] = {
    "land": AreaLevel.LAND,
    "bundesland": AreaLevel.LAND,
    "laender": AreaLevel.LAND,
    "bundeslaender": AreaLevel.LAND,
    "kreis": AreaLevel.KREIS,
    "kreise": AreaLevel.KREIS,
    "kreise und kreisfreie staedte": AreaLevel.KREIS,
    "kreisfreie staedte und landkreise": AreaLevel.KREIS,
    "landkreis": AreaLevel.KREIS,
    "agenturbezirk": AreaLevel.AGENCY,
    "agentur fuer arbeit": AreaLevel.AGENCY,
    "region": None,
    "gebiet": None,
    "regionale gliederung": None,
    "beruf": OCCUPATION,
    "berufe": OCCUPATION,
    "ausbildungsberuf": OCCUPATION,
    "ausbildungsberufe": OCCUPATION,
    "berufsbezeichnung": OCCUPATION,
    "zustaendigkeitsbereich": RESPONSIBILITY,
    "zustaendigkeitsbereiche": RESPONSIBILITY,
    "ausbildungsbereich": RESPONSIBILITY,
    "ausbildungsbereiche": RESPONSIBILITY,
}
# A code column beside the label column ("Schlüssel | Land", "AGS | Kreis", "KldB 2010 | Beruf").
CODE_HEADERS = re.compile(
    r"(schluessel|regionalschluessel|kreisschluessel|ags|kennziffer|berufskennziffer|kldb( 2010)?|"
    r"berufskennziffer kldb 2010|kennziffer kldb 2010)"
)
OCCUPATION_CODE_HEADER = re.compile(r"kldb|berufskennziffer")
# The Zuständigkeitsbereiche (BBiG §§ 71-75), spelled as data/statistics/definitions.md spells them.
RESPONSIBILITY_AREAS = {
    "industrie und handel": "Industrie und Handel",
    "handwerk": "Handwerk",
    "oeffentlicher dienst": "Öffentlicher Dienst",
    "landwirtschaft": "Landwirtschaft",
    "freie berufe": "Freie Berufe",
    "hauswirtschaft": "Hauswirtschaft",
    "seeschifffahrt": "Seeschifffahrt",
}
GERMANY = {"deutschland", "bundesgebiet", "bund", "insgesamt", "bundesrepublik deutschland", "zusammen"}
TOTALS = {"insgesamt", "zusammen", "alle berufe", "alle bereiche", "summe"}
ROUNDING_NOTE = re.compile(r"viel\w* von (3|drei)\b|durch (3|drei) teilbar|auf 3 gerundet", re.IGNORECASE)
THOUSANDS_NOTE = re.compile(r"\bin (1 ?000|tausend|tsd)\b")
PERCENT_LABEL = re.compile(r"(^|\s)(in )?(%|prozent)(\s|$)")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
SPLIT_YEAR = re.compile(r"\b(19|20)(\d\d)\s*/\s*(\d\d)\b")  # "2023/24": the reporting year ending in 2024
NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+|\d+)(,\d+)?")
LEADING_CODE = re.compile(r"(\d{2,9})\s+(\S.*)")
FOOTNOTE_MARK = re.compile(r"(\s*(\d\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*+))+$")


def normalise(text: str) -> str:
    text = FOOTNOTE_MARK.sub("", text.strip()).replace("%", " % ")
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def _laender() -> dict[str, tuple[str, str]]:
    data = json.loads((Path(settings.BASE_DIR) / "data" / "regions.json").read_text(encoding="utf-8"))
    names: dict[str, tuple[str, str]] = {}
    for land in data["laender"]:
        names[normalise(land["name"])] = (land["code"], land["name"])
        names[land["code"]] = (land["code"], land["name"])
        names[land["iso"].lower()] = (land["code"], land["name"])
    return names


# --- reading the cells

Cell = str | int | float
Grid = list[list[Cell]]


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    return " ".join(str(value).replace("\u00a0", " ").replace("\u202f", " ").split())


def _grids(path: Path, sheet: str | None) -> list[tuple[str, Grid]]:
    """(sheet name or "", cells) of the file: one grid for a CSV, one per sheet (or the named one) for XLSX."""
    suffix = path.suffix.lower()
    try:
        content = path.read_bytes()
    except OSError as error:
        raise TableError(f"cannot read {path}: {error.strerror}") from None
    if suffix not in {".csv", ".txt", ".xlsx"}:
        raise TableError(
            f"{path.name}: unknown format {suffix or '(none)'!r}; give a .csv (semicolons) or .xlsx file"
        )
    if not content.strip():
        raise TableError(f"{path.name} is empty")
    if suffix == ".xlsx":
        return _xlsx_grids(path, content, sheet)
    if sheet is not None:
        raise TableError(f"{path.name} is a CSV file; --sheet applies to XLSX workbooks only")
    if content.startswith(b"PK\x03\x04"):
        raise TableError(f"{path.name} is a workbook, not CSV text; name it .xlsx")
    return [("", _csv_grid(path, content))]


def _decode(path: Path, content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(f"{path.name} is UTF-16; save it as UTF-8, Windows-1252 or Latin-1")
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise TableError(f"{path.name} starts as UTF-8 but is not valid UTF-8") from None
    if re.search(rb"[\x00-\x08\x0e-\x1f]", content[:4096]):
        raise TableError(f"{path.name} is not a text table (binary content)")
    for encoding in ("utf-8", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    text = content.decode("latin-1")
    if re.search("[\x80-\x9f]", text):  # control characters in Latin-1: some other code page (e.g. DOS 850)
        raise TableError(
            f"{path.name}: the encoding is not UTF-8, Windows-1252 or Latin-1; save it in one of them"
        )
    return text


def _csv_grid(path: Path, content: bytes) -> Grid:
    text = _decode(path, content)
    delimiter = ";" if ";" in text or "\t" not in text else "\t"
    return [[_cell(value) for value in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_grids(path: Path, content: bytes, sheet: str | None) -> list[tuple[str, Grid]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise TableError(f"{path.name} is not a readable Excel workbook (.xlsx)") from None
    try:
        sheets = workbook.worksheets
        if sheet is not None:
            sheets = [each for each in sheets if each.title == sheet]
            if not sheets:
                names = ", ".join(repr(each.title) for each in workbook.worksheets)
                raise TableError(f"{path.name}: no sheet named {sheet!r} (sheets: {names})")
        return [
            (each.title, [[_cell(value) for value in row] for row in each.iter_rows(values_only=True)])
            for each in sheets
        ]
    finally:
        workbook.close()


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else str(cell)


def _filled(row: list[Cell]) -> list[int]:
    return [i for i, cell in enumerate(row) if cell != ""]


# --- the file


def read_file(path: Path, options: TableOptions) -> FileRead:
    """The tables of one file (see the module's docstring), or TableError: the file is refused as a whole."""
    grids = _grids(path, options.sheet)
    laender = _laender()
    read = FileRead(tables=[])
    for sheet, grid in grids:
        where = f"{path.name}, sheet {sheet!r}" if sheet else path.name
        try:
            table = _table(grid, where, path.name, options, laender)
        except _NotATable as reason:
            if sheet and options.sheet is None and len(grids) > 1:
                read.skipped.append((sheet, str(reason)))
                continue
            raise TableError(f"{where}: {reason}") from None
        table.sheet = sheet
        read.tables.append(table)
    if not read.tables:
        reasons = "; ".join(f"{sheet!r}: {reason}" for sheet, reason in read.skipped)
        raise TableError(f"{path.name}: no sheet holds a table this importer reads ({reasons})")
    return read


def read_table(path: Path, options: TableOptions) -> Table:
    """The one table of a CSV file or of a workbook with one table (or the sheet named in `options`)."""
    read = read_file(path, options)
    if len(read.tables) > 1:
        raise TableError(f"{path.name} holds {len(read.tables)} tables; name one with --sheet")
    return read.tables[0]


# --- one table


@dataclass(frozen=True)
class _Column:
    at: int
    label: str
    indicator: str
    unit: str
    year: int | None
    responsibility_area: str


def _table(
    grid: Grid, where: str, file_name: str, options: TableOptions, laender: dict[str, tuple[str, str]]
) -> Table:
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    if not any(_filled(row) for row in grid):
        raise _NotATable("empty")
    top, bottom, label_columns, rows_are = _header(grid)
    above = [" ".join(_text(grid[at][i]) for i in _filled(grid[at])) for at in range(top)]
    above = [line for line in above if line]
    title = above[0] if above else ""
    labels = _column_labels(grid[top : bottom + 1], label_columns)
    body, footnotes = _split_body(grid, bottom + 1, label_columns)
    notes = [*above, *footnotes]
    if any(THOUSANDS_NOTE.search(normalise(line)) for line in notes):
        raise TableError(f"{where}: the table gives its values in thousands; only counts as printed are read")
    columns, ignored = _columns(labels, label_columns, body, where, " ".join(above))
    rounded_to = options.rounded_to
    if rounded_to is None and any(ROUNDING_NOTE.search(line) for line in notes):
        rounded_to = 3
    # rows by occupation or Zuständigkeitsbereich: all of one area, the Land the title names (else Germany)
    title_area = _area_of_title(above, laender)
    table_area = title_area if rows_are in (OCCUPATION, RESPONSIBILITY) else None
    rows: list[FigureRow] = []
    for line, row in body:
        label = " ".join(_text(row[i]) for i in label_columns if row[i] != "")
        level, code, name, occupation, responsibility = _row_label(
            label, rows_are, options, laender, table_area
        )
        if (
            level == AreaLevel.GERMANY
            and normalise(label) in TOTALS
            and (options.area_level or rows_are)
            in (
                AreaLevel.KREIS,
                AreaLevel.AGENCY,
            )
        ):
            level, code, name = title_area  # "Insgesamt" under the Kreise of a Land's table: the Land
        if not (code or occupation or responsibility) and level != AreaLevel.GERMANY:
            raise TableError(f"{where}, row {line}: unknown {_what(rows_are)} {label!r}")
        for column in columns:
            value, sign = _value(row[column.at], where, line, column.label)
            year = column.year or options.year
            if year is None:
                raise TableError(f"{where}: no year in the header {column.label!r}; give --year")
            indicator = column.indicator
            if indicator == "NEW_CONTRACTS":
                indicator = NEW_CONTRACTS.get(options.year_kind, "")
                if not indicator:
                    raise TableError(
                        f"{where}: new contracts are counted per reporting or calendar year; give --year-kind"
                    )
            rounded = column.unit == "count" and (
                level != AreaLevel.GERMANY or bool(occupation or responsibility or column.responsibility_area)
            )
            if rounded and rounded_to and value is not None and value % rounded_to:
                raise TableError(
                    f"{where}, row {line}, column {column.label!r}: {_text(row[column.at])} is not a multiple "
                    f"of {rounded_to}, though the table says its counts are rounded to multiples of {rounded_to}"
                )
            note_place = f"{where}, column {column.label!r}"
            rows.append(
                FigureRow(
                    indicator=indicator,
                    area_level=level,
                    area_code=code,
                    area_name=name,
                    responsibility_area=column.responsibility_area or responsibility,
                    occupation_code=occupation[0] if occupation else "",
                    occupation_name=occupation[1][:250] if occupation else "",
                    year=year,
                    year_kind=options.year_kind,
                    value=value,
                    sign=sign,
                    unit=column.unit,
                    rounded_to=rounded_to if rounded else None,
                    source_url=options.source_url,
                    source_title=(options.source_title or title or file_name)[:300],
                    note=f"[{options.kind}] imported from {note_place}",
                    kind=options.kind,
                )
            )
    if not rows:
        raise TableError(f"{where}: the table has a header but no rows")
    return Table(
        rows=rows,
        title=title,
        data_rows=len(body),
        footnotes=footnotes,
        ignored_columns=ignored,
        rounded_to=rounded_to,
    )


def _what(rows_are: str | None) -> str:
    return {OCCUPATION: "occupation (no code)", RESPONSIBILITY: "Zuständigkeitsbereich"}.get(
        rows_are or "", "area"
    )


def _label_kind(cell: Cell) -> tuple[bool, str | None] | None:
    """(is a code column, what the rows are) for a row-label header, else None."""
    if not isinstance(cell, str) or not cell:
        return None
    text = normalise(cell)
    if text in LABEL_HEADERS:
        return False, LABEL_HEADERS[text]
    if CODE_HEADERS.fullmatch(text):
        return True, OCCUPATION if OCCUPATION_CODE_HEADER.search(text) else None
    return None


def _names_rows(cell: Cell) -> bool:
    kind = _label_kind(cell)
    return kind is not None and not kind[0]


def _header(grid: Grid) -> tuple[int, int, list[int], str | None]:
    """(first header row, last header row, the row-label columns, what the rows are)."""
    anchor = next((at for at, row in enumerate(grid) if any(_names_rows(cell) for cell in row)), None)
    if anchor is None:
        raise _NotATable(
            "no known table header (a column 'Land', 'Kreis', 'Agenturbezirk', 'Region', 'Beruf' or "
            "'Zuständigkeitsbereich' and a column of a known indicator such as 'Neu abgeschlossene "
            "Ausbildungsverträge')"
        )
    top = anchor
    while top > 0 and any(i > 0 for i in _filled(grid[top - 1])):
        top -= 1
    kinds: dict[int, tuple[bool, str | None]] = {}
    _add_label_kinds(kinds, grid[anchor])
    label_columns = sorted(kinds)
    bottom = anchor
    while bottom + 1 < len(grid) and _filled(grid[bottom + 1]):
        below = grid[bottom + 1]
        if any(below[i] != "" and not _label_kind(below[i]) for i in label_columns):
            break  # a label: the first data row
        _add_label_kinds(kinds, below)
        bottom += 1
    for at in range(top, anchor):
        _add_label_kinds(kinds, grid[at])
    label_columns = sorted(kinds)
    named = [kind[1] for kind in kinds.values() if not kind[0]]
    coded = [kind[1] for kind in kinds.values() if kind[0]]
    rows_are = next((what for what in named if what is not None), None)
    if rows_are is None and OCCUPATION in coded:
        rows_are = OCCUPATION
    return top, bottom, label_columns, rows_are


def _add_label_kinds(kinds: dict[int, tuple[bool, str | None]], row: list[Cell]) -> None:
    for i, cell in enumerate(row):
        kind = _label_kind(cell)
        if kind is not None and i not in kinds:
            kinds[i] = kind


def _column_labels(header: Grid, label_columns: list[int]) -> dict[int, str]:
    """Each value column's label: its header rows top to bottom (footnote marks dropped); a group cell, merged or
    left blank to the right, spans the columns up to the next group that have a header below it."""
    width = len(header[0])
    first = max(label_columns) + 1
    rows = [[FOOTNOTE_MARK.sub("", _text(cell)).strip() for cell in row] for row in header]
    for depth, texts in enumerate(rows[:-1]):
        for i in range(first + 1, width):
            if texts[i] == "" and any(lower[i] for lower in rows[depth + 1 :]):
                texts[i] = texts[i - 1]
    return {
        i: " ".join(texts[i] for texts in rows if texts[i]) for i in range(width) if i not in label_columns
    }


def _columns(
    labels: dict[int, str],
    label_columns: list[int],
    body: list[tuple[int, list[Cell]]],
    where: str,
    title: str,
) -> tuple[list[_Column], list[str]]:
    title_match = _indicator(normalise(title))
    columns: list[_Column] = []
    ignored: list[str] = []
    unknown: list[str] = []
    for at, label in labels.items():
        if at < min(label_columns):
            continue
        text = normalise(label)
        year = _year(label)
        responsibility = next((name for key, name in RESPONSIBILITY_AREAS.items() if key in text), "")
        match = _indicator(text)
        if match is None and any(word in text for word in IGNORED_WORDS):
            ignored.append(label)
            continue
        if match is None and title_match and (year or responsibility or text in TOTALS):
            match = title_match
        if match is None:
            if text:
                unknown.append(repr(label))
            elif any(row[at] != "" for _line, row in body):
                unknown.append(f"column {at + 1} (no header)")
            continue
        indicator, unit = match
        if PERCENT_LABEL.search(text) and unit != "percent":
            raise TableError(f"{where}: mixed units, the column {label!r} is in percent but names a {unit}")
        columns.append(_Column(at, label, indicator, unit, year, responsibility))
    if not columns:
        raise _NotATable(
            "no column of a known indicator (such as 'Neu abgeschlossene Ausbildungsverträge', "
            "'Unbesetzte Ausbildungsstellen', 'Vertragslösungsquote')"
        )
    if unknown:
        raise TableError(
            f"{where}: unknown header {', '.join(unknown)} (not an indicator this importer knows)"
        )
    return columns, ignored


def _indicator(text: str) -> tuple[str, str] | None:
    words = YEAR.sub(" ", text)
    for needed, indicator, unit in HEADERS:
        if all(word in words for word in needed):
            return indicator, unit
    return None


def _year(label: str) -> int | None:
    split = SPLIT_YEAR.search(label)
    if split:
        return int(split.group(1) + split.group(3))
    years = {int(year) for year in YEAR.findall(label)}
    return years.pop() if len(years) == 1 else None


def _split_body(
    grid: Grid, start: int, label_columns: list[int]
) -> tuple[list[tuple[int, list[Cell]]], list[str]]:
    """The data rows (to the first empty row or a row of text in one cell only) and the lines below them."""
    body: list[tuple[int, list[Cell]]] = []
    for at in range(start, len(grid)):
        row = grid[at]
        filled = _filled(row)
        if not filled or (len(filled) == 1 and filled[0] <= min(label_columns)):
            lines = [" ".join(_text(c) for c in r if c != "") for r in grid[at:]]
            return body, [line for line in lines if line]
        body.append((at + 1, row))  # as a spreadsheet numbers its rows
    return body, []


def _area_of_title(lines: list[str], laender: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """The area of a table by occupation or Zuständigkeitsbereich: the one Land its title names, else Germany."""
    text = f" {normalise(' '.join(lines))} "
    found = []
    for key in sorted((k for k in laender if not k.isdigit() and len(k) > 2), key=len, reverse=True):
        if f" {key} " in text:
            found.append(laender[key])
            text = text.replace(f" {key} ", " ")
    if len(found) == 1:
        return AreaLevel.LAND, *found[0]
    return AreaLevel.GERMANY, "DE", "Deutschland"


def _row_label(
    label: str,
    rows_are: str | None,
    options: TableOptions,
    laender: dict[str, tuple[str, str]],
    table_area: tuple[str, str, str] | None,
) -> tuple[str, str, str, tuple[str, str] | None, str]:
    """(area level, area code, area name, (occupation code, name) or None, Zuständigkeitsbereich)."""
    key = normalise(label)
    if table_area is not None:
        if key in TOTALS:
            return *table_area, None, ""
        if rows_are == RESPONSIBILITY:
            if key not in RESPONSIBILITY_AREAS:
                return "", "", "", None, ""
            return *table_area, None, RESPONSIBILITY_AREAS[key]
        leading = LEADING_CODE.fullmatch(FOOTNOTE_MARK.sub("", label))
        if leading:
            return *table_area, (leading.group(1), leading.group(2)), ""
        return "", "", "", None, ""
    level, code, name = _area(label, key, rows_are, options, laender)
    return level, code, name, None, ""


def _area(
    text: str, key: str, level: str | None, options: TableOptions, laender: dict[str, tuple[str, str]]
) -> tuple[str, str, str]:
    if key in GERMANY:
        return AreaLevel.GERMANY, "DE", "Deutschland"
    level = options.area_level or level
    code, name = "", FOOTNOTE_MARK.sub("", text)
    for total in (" insgesamt", " zusammen"):  # "Bayern insgesamt"
        if key.endswith(total) and key.removesuffix(total) in laender and not key[:1].isdigit():
            name = key.removesuffix(total)
    leading = LEADING_CODE.fullmatch(name)
    if leading:
        code, name = leading.group(1), leading.group(2)
    elif name.isdigit():
        code, name = name, ""
    if level == AreaLevel.AGENCY:
        return (AreaLevel.AGENCY, code, name) if code else ("", "", "")
    land_key = code if len(code) == 2 else (normalise(name) if not code else "")
    if land_key in laender and level in (None, AreaLevel.LAND, AreaLevel.KREIS):
        land_code, land_name = laender[land_key]  # a Kreis table's Land rows are the Länder's figures
        return AreaLevel.LAND, land_code, land_name
    if level in (None, AreaLevel.KREIS) and len(code) == 5 and code[:2] in laender:
        return AreaLevel.KREIS, code, name
    return "", "", ""


def _value(raw: Cell, where: str, line: int, header: str) -> tuple[Decimal | None, str]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Decimal(str(raw)), ""
    text = str(raw).strip()
    if text not in SIGNS:
        text = FOOTNOTE_MARK.sub("", text).strip()
    if text in ZERO_SIGNS:
        return Decimal(0), text
    if text in SIGNS:
        return None, text
    if NUMBER.fullmatch(text):
        try:
            return Decimal(text.replace(".", "").replace(" ", "").replace(",", ".")), ""
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            pass
    what = f"{str(raw)!r} is not a number" if raw != "" else "the cell is empty, not a number"
    raise TableError(f"{where}, row {line}, column {header!r}: {what} or a sign of the office ({SIGNS_TEXT})")
