"""API routes of the monitoring pages (issue #19): the tables of the page as JSON, read-only.

Access: the rules in `monitoring.access` (monitors, chamber officers and counsellors, checked by the permission
middleware before the route runs; others get 403 problem details). The tables are those of the caller's page
(`monitoring.selectors.table_keys` for the region of their organisations): the same numbers, notes and sources
as the page and its CSV/XLSX, made from the same `monitoring.report.Table`. A key the page does not have is
not found (404).
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from ausbildung.monitoring import indicators, report, selectors

from .auth import token_or_session
from .records import Problem

router = Router(tags=["monitoring"], auth=token_or_session)


class TableRef(Schema):
    key: str = Field(..., description="The table's key, e.g. `official-DE`, `official-10`, `platform`")
    title: str


class ColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(..., description="`text`, `count`, `ratio` or `year`")


class SourceOut(Schema):
    url: str
    title: str
    year: int | None = Field(None, description="The year the publication reports on")


class TableOut(Schema):
    key: str
    title: str
    caption: str
    columns: list[ColumnOut]
    rows: list[dict[str, int | float | str | None]] = Field(
        ...,
        description=(
            "One object per row: column key → raw value (counts and years as integers, ratios as numbers "
            "with one decimal place); null where a count is suppressed (1 or 2) or no figure was published"
        ),
    )
    shown: list[dict[str, str]] = Field(..., description="The same cells as the page shows them (German)")
    markers: list[dict[str, str]] = Field(
        ..., description="Per row: column key → footnote marker, explained in `notes` (only cells with one)"
    )
    notes: list[str]
    sources: list[SourceOut]
    as_of: str = Field(..., description="ISO date of the data (latest import; today for live counts)")


def _year() -> int:
    return indicators.reporting_year(timezone.localdate())


@router.get(
    "/monitoring/tables",
    response={200: list[TableRef], 403: Problem},
    url_name="monitoring_tables",
    summary="The monitoring tables of the caller's region",
)
def monitoring_tables(request: HttpRequest) -> list[dict]:
    """The tables of the caller's monitoring page, in its order (Germany, the region's Länder, the platform's
    own counts and the coverage when the caller's organisation has a district)."""
    tables = selectors.page_tables(selectors.region_for(request.user), _year())
    return [{"key": table.key, "title": table.title} for table in tables]


@router.get(
    "/monitoring/tables/{key}",
    response={200: TableOut, 403: Problem, 404: Problem},
    url_name="monitoring_table",
    summary="One monitoring table",
)
def monitoring_table(request: HttpRequest, key: str) -> dict:
    """One table of the caller's monitoring page with raw values, as its CSV and XLSX downloads hold them."""
    table = selectors.table_for(selectors.region_for(request.user), key, _year())
    if table is None:
        raise Http404
    return report.to_json(table)
