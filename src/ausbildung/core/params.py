"""Parsing of request values (query parameters, form fields) that views read without a form.

One place for what a browser may send: only ASCII digits make a number ("²".isdigit() is true, but int("²")
fails; int("١٢") is 12 although we never show such digits), and numbers are bounded to what the database
stores (64-bit integers), so a 25-digit value is refused here instead of failing in the database. Every
function returns None for a value it refuses; the caller decides whether that is a field error, a message or
a 404.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

# Database integer columns (BigAutoField primary keys) are 64-bit.
MAX_ID = 2**63 - 1

_INTEGER = re.compile(r"-?[0-9]{1,19}")


def parse_int(raw: object, *, minimum: int | None = None, maximum: int | None = MAX_ID) -> int | None:
    """The integer written in `raw` (ASCII digits with an optional minus sign, surrounding spaces allowed),
    or None when it is not one or lies outside [minimum, maximum]."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not _INTEGER.fullmatch(raw):
        return None
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    if not -MAX_ID - 1 <= value <= MAX_ID:
        return None
    return value


def parse_id(raw: object) -> int | None:
    """A primary key (1 … 2⁶³−1), or None."""
    return parse_int(raw, minimum=1, maximum=MAX_ID)


def parse_ids(values: Iterable[object]) -> list[int] | None:
    """Primary keys from a multi-valued field (checkboxes), in order without repeats; None if any is not one."""
    ids: list[int] = []
    for raw in values:
        value = parse_id(raw)
        if value is None:
            return None
        if value not in ids:
            ids.append(value)
    return ids


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(raw: object) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD, ASCII digits) that exists in the calendar, or None."""
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw.strip()):
        return None
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        return None
