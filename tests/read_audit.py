"""Helpers for the tests of the audit of reads (core.audit): open a page, count the INSERTs into the log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ausbildung.core.models import ReadAccess


@dataclass
class Opened:
    status: int
    rows: list[ReadAccess]
    inserts: int  # INSERT statements into the read log during the request
    content: bytes


def open_page(client: Client, url: str, method: str = "get", **data: object) -> Opened:
    """Request `url` and return its status, the read-log rows it wrote and the INSERTs that wrote them."""
    before = set(ReadAccess.objects.values_list("pk", flat=True))
    table = ReadAccess._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or None)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    inserts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("INSERT") and table in q["sql"]
    ]
    rows = list(ReadAccess.objects.exclude(pk__in=before).order_by("pk"))
    return Opened(response.status_code, rows, len(inserts), content)


def subjects(opened: Opened) -> set[int]:
    return {row.subject_id for row in opened.rows}
