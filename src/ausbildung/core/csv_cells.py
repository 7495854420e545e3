"""Cells of CSV exports that a spreadsheet opens as data, never as a formula ("CSV injection").

Excel, LibreOffice and Google Sheets evaluate a cell that starts with `=`, `+`, `-` or `@` as a formula, and
tab or carriage return can hide such a start; a pupil who names themself `=HYPERLINK("https://…";"Klick")`
would otherwise put a live link (or a DDE command) into the teacher's spreadsheet. Following the OWASP
guidance on CSV injection, such text cells get a leading apostrophe, which the spreadsheet shows as text.
Numbers stay numbers: an int, float or Decimal is written as it is, so a typed -3 remains a negative number.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | None


def safe_cell(value: Cell) -> str | int | float | Decimal:
    """The value as a CSV cell: text that a spreadsheet would read as a formula is prefixed with `'`."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool is an int: written as True/False, no prefix needed
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_row(values: Iterable[Cell]) -> list[str | int | float | Decimal]:
    """Every cell of a row through `safe_cell`, for `csv.writer.writerow`."""
    return [safe_cell(value) for value in values]
