"""API routes of the monitoring pages (issue #19): the tables of each page as JSON, read-only.

Access: the rules in `monitoring.access` (monitors, chamber officers and counsellors, checked by the permission
middleware before the route runs; others get 403 problem details). The tables are those of the caller's pages
(`monitoring.pages`: the home, an area page, an occupation page in an area): the same numbers, notes and
sources as the page and its CSV/XLSX, made from the same `monitoring.report.Table`. An area outside the
caller's region, an unknown area or occupation, or a key the page does not have is not found (404).
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema

from ausbildung.monitoring import pages, report, selectors

from .auth import token_or_session
from .records import Problem

router = Router(tags=["monitoring"], auth=token_or_session)


class TableRef(Schema):
    key: str = Field(
        ..., description="The table's key, e.g. `kennzahlen-10`, `kennzahlen`, `berufe`, `official-DE`"
    )
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


def _refs(page: pages.Page) -> list[dict]:
    return [{"key": table.key, "title": table.title} for table in page.tables]


def _table(page: pages.Page, key: str) -> dict:
    table = page.table(key)
    if table is None:
        raise Http404
    return report.to_json(table)


def _area_page(request: HttpRequest, level: str, code: str) -> pages.Page:
    region = selectors.region_for(request.user)
    place = pages.find_place(region, level, code)
    if place is None:
        raise Http404
    return pages.area(region, place)


def _occupation_page(request: HttpRequest, level: str, code: str, occupation_id: int) -> pages.Page:
    place = pages.find_place(selectors.region_for(request.user), level, code)
    occupation = pages.find_occupation(occupation_id)
    if place is None or occupation is None:
        raise Http404
    return pages.occupation(place, occupation)


LEVEL = Path(..., description="`de` (Germany), `land` or `kreis`")
CODE = Path(..., description="`DE`, a Land's two-digit code or a Kreis's five-digit code (ARS)")


@router.get(
    "/monitoring/tables",
    response={200: list[TableRef], 403: Problem},
    url_name="monitoring_tables",
    summary="The tables of the caller's monitoring home",
)
def monitoring_tables(request: HttpRequest) -> list[dict]:
    """The tables of the caller's monitoring home, in its order: the key figures of each Land of the
    caller's region beside Germany's (of Germany alone when the caller's organisation has no district)."""
    return _refs(pages.home(selectors.region_for(request.user)))


@router.get(
    "/monitoring/tables/{key}",
    response={200: TableOut, 403: Problem, 404: Problem},
    url_name="monitoring_table",
    summary="One table of the monitoring home",
)
def monitoring_table(request: HttpRequest, key: str) -> dict:
    """One table of the caller's monitoring home with raw values, as its CSV and XLSX downloads hold them."""
    return _table(pages.home(selectors.region_for(request.user)), key)


@router.get(
    "/monitoring/areas/{level}/{code}/tables",
    response={200: list[TableRef], 403: Problem, 404: Problem},
    url_name="monitoring_area_tables",
    summary="The tables of an area's monitoring page",
)
def monitoring_area_tables(request: HttpRequest, level: str = LEVEL, code: str = CODE) -> list[dict]:
    """The tables of the area page: key figures, monthly platform figures, official and platform new
    contracts, the Länder or Kreise, the occupations, the official market balance (Germany, Land)."""
    return _refs(_area_page(request, level, code))


@router.get(
    "/monitoring/areas/{level}/{code}/tables/{key}",
    response={200: TableOut, 403: Problem, 404: Problem},
    url_name="monitoring_area_table",
    summary="One table of an area's monitoring page",
)
def monitoring_area_table(request: HttpRequest, key: str, level: str = LEVEL, code: str = CODE) -> dict:
    """One table of the area page with raw values, as its CSV and XLSX downloads hold them."""
    return _table(_area_page(request, level, code), key)


@router.get(
    "/monitoring/areas/{level}/{code}/occupations/{occupation_id}/tables",
    response={200: list[TableRef], 403: Problem, 404: Problem},
    url_name="monitoring_occupation_tables",
    summary="The tables of an occupation's monitoring page in an area",
)
def monitoring_occupation_tables(
    request: HttpRequest, occupation_id: int, level: str = LEVEL, code: str = CODE
) -> list[dict]:
    """The tables of the occupation page: its key figures beside the parent area's, its yearly series."""
    return _refs(_occupation_page(request, level, code, occupation_id))


@router.get(
    "/monitoring/areas/{level}/{code}/occupations/{occupation_id}/tables/{key}",
    response={200: TableOut, 403: Problem, 404: Problem},
    url_name="monitoring_occupation_table",
    summary="One table of an occupation's monitoring page in an area",
)
def monitoring_occupation_table(
    request: HttpRequest, occupation_id: int, key: str, level: str = LEVEL, code: str = CODE
) -> dict:
    """One table of the occupation page with raw values, as its CSV and XLSX downloads hold them."""
    return _table(_occupation_page(request, level, code, occupation_id), key)
