"""Small helpers the apps' `privacy.py` modules share: rows as JSON, stored files, the end of a retention year."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from ..services import add_months, start_of_day
from .registry import ExportFile

__all__ = [
    "add_months",
    "delete_stored",
    "end_of_year_plus",
    "links",
    "links_count",
    "row_dict",
    "rows",
    "safe_name",
    "start_of_day",
    "stored_file",
    "value_json",
]


def value_json(value: Any) -> Any:
    """A field value as JSON: dates as ISO 8601, decimals as strings, files by their name."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, bytes | memoryview):
        return None  # binary layouts (a stored PDF part) are not data about the person
    return value


def row_dict(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A model row as a JSON-ready dict of its concrete fields (foreign keys as ids), for the copy of Art. 20
    ("structured, commonly used and machine-readable"). Many-to-many fields are listed by id."""
    skip = set(exclude)
    data: dict[str, Any] = {"model": obj._meta.label}
    for f in obj._meta.concrete_fields:
        if f.name in skip:
            continue
        data[f.attname] = value_json(getattr(obj, f.attname))
    for m2m in obj._meta.many_to_many:
        if m2m.name not in skip:
            data[m2m.name] = list(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def rows(queryset: models.QuerySet, *, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [row_dict(obj, exclude=exclude) for obj in queryset]


def stored_file(file: FieldFile, name: str) -> ExportFile | None:
    """A stored upload for the copy; None when the file is gone from storage."""
    if not file:
        return None
    try:
        with file.open("rb") as handle:
            return ExportFile(name=name, content=handle.read())
    except FileNotFoundError:
        return None


def delete_stored(files: Iterable[FieldFile]) -> int:
    """Delete uploads from private storage once the transaction that deletes their rows has committed (a
    rolled-back erasure keeps its files). A missing file is no error. Returns the number of files."""
    doomed = [(file.storage, file.name) for file in files if file and file.name]

    def delete() -> None:
        for storage, name in doomed:
            storage.delete(name)

    transaction.on_commit(delete)
    return len(doomed)


def safe_name(text: str) -> str:
    """A file name for inside the ZIP: letters, digits, dot, dash, underscore."""
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in text)
    return cleaned.strip("._")[:80] or "datei"


def end_of_year_plus(day: datetime.date, years: int) -> datetime.date:
    """The last day of the year `years` after the year of `day`: a period that starts at the end of the year
    (BGB § 199 Abs. 1) and runs `years` years (BGB § 195: three)."""
    return datetime.date(day.year + years, 12, 31)


def links(person: Any, specs: Iterable[tuple[type[models.Model], str]]) -> list[dict[str, Any]]:
    """Rows of other people's or organisations' records that name the person as the one who acted (created,
    recorded, signed …): model, id and field, for the copy. The rows themselves belong to those records."""
    found: list[dict[str, Any]] = []
    for model, field_name in specs:
        for pk in (
            model._default_manager.filter(**{field_name: person}).values_list("pk", flat=True).order_by("pk")
        ):
            found.append({"model": model._meta.label, "id": pk, "field": field_name})
    return found


def links_count(person: Any, specs: Iterable[tuple[type[models.Model], str]]) -> int:
    return sum(model._default_manager.filter(**{field_name: person}).count() for model, field_name in specs)
