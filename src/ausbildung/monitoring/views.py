"""The monitoring page (issue #19): official market balance beside the platform's own counts; each table as
CSV or XLSX, and the whole page as one workbook, with the page's numbers (all from `report.Table`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ausbildung.core.exports import download

from . import indicators, report, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year() -> int:
    return indicators.reporting_year(timezone.localdate())


def index(request: HttpRequest) -> HttpResponse:
    region = selectors.region_for(request.user)
    tables = {table.key: table for table in selectors.page_tables(region, _year())}
    context = {
        "region": region,
        "official": [table for key, table in tables.items() if key.startswith("official-")],
        "platform": tables.get("platform"),
        "coverage": tables.get("coverage"),
    }
    return render(request, "monitoring/index.html", context)


def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One table of the page as `csv` or `xlsx`; an unknown table or format is not found."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    found = selectors.table_for(selectors.region_for(request.user), table, _year())
    if found is None:
        raise Http404
    name = f"monitoring-{found.key}.{fmt}"
    if fmt == "csv":
        return download(report.to_csv_bytes(found), content_type="text/csv; charset=utf-8", file_name=name)
    return download(report.to_xlsx_bytes([found]), content_type=XLSX, file_name=name)


def export_all(request: HttpRequest) -> HttpResponse:
    """Every table of the page, one sheet each."""
    tables = selectors.page_tables(selectors.region_for(request.user), _year())
    return download(report.to_xlsx_bytes(tables), content_type=XLSX, file_name="monitoring.xlsx")
