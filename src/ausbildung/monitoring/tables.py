"""Reading the tables the offices publish (BIBB, BA, Destatis, Länder offices) into official figures.

A table as published: title rows above, one header row (an area column — Land, Kreis, Agenturbezirk, Region —
and one column per indicator, the year in the header or given with --year), one row per area, then footnote
lines. CSV with semicolons, German decimal comma and thousands dot, in UTF-8 (with or without BOM) or Latin-1;
or XLSX (first sheet). Nothing here writes: `read_table` returns rows or raises `TableError` with one line.

Signs for a missing number (the Zeichenerklärung of the statistical offices; the shipped definitions do not list
them, see docs/domain.md): "-" and "–" nothing (exactly zero, stored as 0 with the sign), "." unknown or
secret, "x" cell blocked (not meaningful), "/" not reliable enough, "…" later, "*" anonymised (BA) — stored
without a value, with the sign. BIBB rounds its Länder tables to multiples of 3: a footnote saying so (or
--rounded-to 3) marks every count of the Länder (not the national total) `rounded_to=3`; the values stay as
published.
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

ZERO_SIGNS = {"-", "–", "—"}
MISSING_SIGNS = {".", "x", "X", "/", "…", "...", "*"}
SIGNS_TEXT = "- – . x / … *"


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


@dataclass
class Table:
    rows: list[FigureRow]
    title: str
    footnotes: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rounded_to: int | None = None


# --- indicators by their header (normalised: lower case, umlauts spelled out, years and footnote marks removed)

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
AREA_HEADERS = {
    "land": AreaLevel.LAND,
    "bundesland": AreaLevel.LAND,
    "laender": AreaLevel.LAND,
    "kreis": AreaLevel.KREIS,
    "kreise": AreaLevel.KREIS,
    "kreise und kreisfreie staedte": AreaLevel.KREIS,
    "landkreis": AreaLevel.KREIS,
    "agenturbezirk": AreaLevel.AGENCY,
    "agentur fuer arbeit": AreaLevel.AGENCY,
    "region": None,
    "gebiet": None,
    "regionale gliederung": None,
}
GERMANY = {"deutschland", "bundesgebiet", "bund", "insgesamt", "bundesrepublik deutschland"}
ROUNDING_FOOTNOTE = re.compile(r"viel\w* von (3|drei)\b|durch (3|drei) teilbar|auf 3 gerundet", re.IGNORECASE)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
GERMAN_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
LEADING_CODE = re.compile(r"(\d{2,5})\s+(\S.*)")
FOOTNOTE_MARK = re.compile(r"(\s*(\d\)|[¹²³⁴⁵⁶⁷⁸⁹]|\*+))+$")


def normalise(text: str) -> str:
    text = FOOTNOTE_MARK.sub("", text.strip())
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _laender() -> dict[str, tuple[str, str]]:
    data = json.loads((Path(settings.BASE_DIR) / "data" / "regions.json").read_text(encoding="utf-8"))
    names: dict[str, tuple[str, str]] = {}
    for land in data["laender"]:
        names[normalise(land["name"])] = (land["code"], land["name"])
        names[land["code"]] = (land["code"], land["name"])
        names[land["iso"].lower()] = (land["code"], land["name"])
    return names


# --- reading the cells


def _cells(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    try:
        content = path.read_bytes()
    except OSError as error:
        raise TableError(f"cannot read {path}: {error.strerror}") from None
    if suffix == ".xlsx":
        return _xlsx_cells(path, content)
    if suffix in {".csv", ".txt"}:
        return _csv_cells(path, content)
    raise TableError(
        f"{path.name}: unknown format {suffix or '(none)'!r}; give a .csv (semicolons) or .xlsx file"
    )


def _csv_cells(path: Path, content: bytes) -> list[list[object]]:
    if b"\x00" in content[:4096]:
        raise TableError(f"{path.name} is not a text table (binary content)")
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("latin-1")  # what the offices' CSV downloads use when not UTF-8
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=";")]


def _xlsx_cells(path: Path, content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise TableError(f"{path.name} is not a readable Excel workbook (.xlsx)") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(cell: object) -> str:
    return "" if cell is None else " ".join(str(cell).split())


# --- the table


def read_table(path: Path, options: TableOptions) -> Table:
    """The figures of one published table (see the module's docstring), or TableError."""
    cells: list[list[object]] = [
        [_text(c) if not isinstance(c, (int, float)) else c for c in row] for row in _cells(path)
    ]
    found = _find_header(cells)
    if found is None:
        raise TableError(
            f"{path.name}: no known table header (a column 'Land', 'Kreis', 'Agenturbezirk' or 'Region' and a "
            "column of a known indicator such as 'Neu abgeschlossene Ausbildungsverträge')"
        )
    header_at, area_column, area_level, columns, ignored = found
    title = next((str(row[0]) for row in cells[:header_at] if row and row[0]), "")
    body, footnotes = _split_body(cells[header_at + 1 :])
    rounded_to = options.rounded_to
    if rounded_to is None and any(ROUNDING_FOOTNOTE.search(line) for line in footnotes):
        rounded_to = 3
    laender = _laender()
    rows: list[FigureRow] = []
    for offset, row in body:
        line = header_at + 1 + offset + 1  # as a spreadsheet numbers its rows
        level, code, name = _area(
            row[area_column] if area_column < len(row) else "", area_level, options, laender
        )
        if not code:
            raise TableError(f"{path.name}, row {line}: unknown area {str(row[area_column])!r}")
        for column, (indicator, unit, header, column_year) in columns.items():
            raw = row[column] if column < len(row) else ""
            value, sign = _value(raw, path, line, header)
            year = column_year or options.year
            if year is None:
                raise TableError(f"{path.name}: no year in the header {header!r}; give --year")
            rows.append(
                FigureRow(
                    indicator=NEW_CONTRACTS.get(options.year_kind, "")
                    if indicator == "NEW_CONTRACTS"
                    else indicator,
                    area_level=level,
                    area_code=code,
                    area_name=name,
                    year=year,
                    year_kind=options.year_kind,
                    value=value,
                    sign=sign,
                    unit=unit,
                    rounded_to=rounded_to if unit == "count" and level != AreaLevel.GERMANY else None,
                    source_url=options.source_url,
                    source_title=(options.source_title or title or path.name)[:300],
                    note=f"[{options.kind}] imported from {path.name}, column {header!r}",
                    kind=options.kind,
                )
            )
    if any(row.indicator == "" for row in rows):
        raise TableError(
            f"{path.name}: new contracts are counted per reporting or calendar year; give --year-kind"
        )
    if not rows:
        raise TableError(f"{path.name}: the table has a header but no rows")
    return Table(rows=rows, title=title, footnotes=footnotes, ignored_columns=ignored, rounded_to=rounded_to)


def _find_header(
    cells: list[list[object]],
) -> tuple[int, int, str | None, dict[int, tuple[str, str, str, int | None]], list[str]] | None:
    for at, row in enumerate(cells):
        texts = [normalise(str(cell)) if isinstance(cell, str) else "" for cell in row]
        area_column = next((i for i, text in enumerate(texts) if text in AREA_HEADERS), None)
        if area_column is None:
            continue
        columns: dict[int, tuple[str, str, str, int | None]] = {}
        ignored = []
        for i, cell in enumerate(row):
            if i == area_column or not isinstance(cell, str) or not cell:
                continue
            match = _indicator(texts[i])
            year = YEAR.search(cell)
            if match:
                columns[i] = (*match, cell, int(year.group(1)) if year else None)
            else:
                ignored.append(cell)
        if columns:
            return at, area_column, AREA_HEADERS[texts[area_column]], columns, ignored
    return None


def _indicator(header: str) -> tuple[str, str] | None:
    words = YEAR.sub(" ", header)
    for needed, indicator, unit in HEADERS:
        if all(word in words for word in needed):
            return indicator, unit
    return None


def _split_body(rows: list[list[object]]) -> tuple[list[tuple[int, list[object]]], list[str]]:
    """The data rows (up to the first empty row or a row with text in its first cell only) and the footnotes."""
    body: list[tuple[int, list[object]]] = []
    for offset, row in enumerate(rows):
        filled = [cell for cell in row if cell not in ("", None)]
        first_only = len(filled) == 1 and row and row[0] not in ("", None)
        if not filled or first_only:
            footnotes = [" ".join(str(c) for c in r if c not in ("", None)) for r in rows[offset:]]
            return body, [line for line in footnotes if line]
        body.append((offset, row))
    return body, []


def _area(
    cell: object, level: str | None, options: TableOptions, laender: dict[str, tuple[str, str]]
) -> tuple[str, str, str]:
    text = _text(cell)
    if isinstance(cell, int):
        text = str(cell)
    key = normalise(text)
    if key in GERMANY:
        return AreaLevel.GERMANY, "DE", "Deutschland"
    level = options.area_level or level
    code, name = "", text
    leading = LEADING_CODE.fullmatch(text)
    if leading:
        code, name = leading.group(1), leading.group(2)
    elif text.isdigit():
        code, name = text, ""
    if level == AreaLevel.AGENCY:
        return (AreaLevel.AGENCY, code, name) if code else ("", "", "")
    if level in (None, AreaLevel.LAND) and (code if len(code) == 2 else key) in laender:
        land_code, land_name = laender[code if len(code) == 2 else key]
        return AreaLevel.LAND, land_code, land_name
    if level in (None, AreaLevel.KREIS) and len(code) == 5:
        return AreaLevel.KREIS, code, name
    return "", "", ""


def _value(raw: object, path: Path, line: int, header: str) -> tuple[Decimal | None, str]:
    if isinstance(raw, bool):
        raise TableError(f"{path.name}, row {line}, column {header!r}: {raw!r} is not a number")
    if isinstance(raw, (int, float)):
        return Decimal(str(raw)), ""
    text = str(raw).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text in ZERO_SIGNS:
        return Decimal(0), text
    if text in MISSING_SIGNS:
        return None, "…" if text == "..." else text
    if GERMAN_NUMBER.fullmatch(text):
        try:
            return Decimal(text.replace(".", "").replace(",", ".")), ""
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            pass
    what = f"{str(raw)!r} is not a number" if raw not in ("", None) else "the cell is empty, not a number"
    raise TableError(
        f"{path.name}, row {line}, column {header!r}: {what} or a sign of the office ({SIGNS_TEXT})"
    )
