"""The monitoring pages (issue #19): the home (the region's Länder beside Germany), an area page (Germany, a
Land, a Kreis) and an occupation page (an occupation in an area), each table as CSV or XLSX and the whole page
as one workbook, with the page's numbers (all from `report.Table`, built in `pages`).

An area the person may not see, or that does not exist, is not found (404): the page of another region is
neither shown nor confirmed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ausbildung.core.exports import download

from . import pages, report, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _indicator(request: HttpRequest) -> str | None:
    value = request.GET.get("indicator")
    return value if isinstance(value, str) and len(value) <= 60 else None


def _place(request: HttpRequest, level: str, code: str) -> pages.Place:
    place = pages.find_place(selectors.region_for(request.user), level, code)
    if place is None:
        raise Http404
    return place


def _area_page(request: HttpRequest, level: str, code: str) -> tuple[pages.Place, pages.Page]:
    region = selectors.region_for(request.user)
    place = pages.find_place(region, level, code)
    if place is None:
        raise Http404
    return place, pages.area(region, place, _indicator(request))


def _occupation_page(
    request: HttpRequest, level: str, code: str, occupation_id: int
) -> tuple[pages.Place, pages.Page]:
    place = _place(request, level, code)
    occupation = pages.find_occupation(occupation_id)
    if occupation is None:
        raise Http404
    return place, pages.occupation(place, occupation)


def _one(page: pages.Page, table: str, fmt: str, prefix: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    found = page.table(table)
    if found is None:
        raise Http404
    name = f"{prefix}-{found.key}.{fmt}"
    if fmt == "csv":
        return download(report.to_csv_bytes(found), content_type="text/csv; charset=utf-8", file_name=name)
    return download(report.to_xlsx_bytes([found]), content_type=XLSX, file_name=name)


def _all(page: pages.Page, prefix: str) -> HttpResponse:
    return download(report.to_xlsx_bytes(page.tables), content_type=XLSX, file_name=f"{prefix}.xlsx")


def index(request: HttpRequest) -> HttpResponse:
    region = selectors.region_for(request.user)
    page = pages.home(region, _indicator(request))
    return render(request, "monitoring/index.html", {"region": region, **page.context})


def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One table of the home as `csv` or `xlsx`; an unknown table or format is not found."""
    return _one(pages.home(selectors.region_for(request.user), _indicator(request)), table, fmt, "monitoring")


def export_all(request: HttpRequest) -> HttpResponse:
    """Every table of the home, one sheet each."""
    return _all(pages.home(selectors.region_for(request.user), _indicator(request)), "monitoring")


def area(request: HttpRequest, level: str, code: str) -> HttpResponse:
    _found, page = _area_page(request, level, code)
    return render(request, "monitoring/area.html", page.context)


def area_export(request: HttpRequest, level: str, code: str, table: str, fmt: str) -> HttpResponse:
    place, page = _area_page(request, level, code)
    return _one(page, table, fmt, f"monitoring-{place.level}-{place.code}")


def area_export_all(request: HttpRequest, level: str, code: str) -> HttpResponse:
    place, page = _area_page(request, level, code)
    return _all(page, f"monitoring-{place.level}-{place.code}")


def occupation(request: HttpRequest, level: str, code: str, occupation_id: int) -> HttpResponse:
    _found, page = _occupation_page(request, level, code, occupation_id)
    return render(request, "monitoring/occupation.html", page.context)


def occupation_export(
    request: HttpRequest, level: str, code: str, occupation_id: int, table: str, fmt: str
) -> HttpResponse:
    place, page = _occupation_page(request, level, code, occupation_id)
    return _one(page, table, fmt, f"monitoring-{place.level}-{place.code}-beruf-{occupation_id}")


def occupation_export_all(request: HttpRequest, level: str, code: str, occupation_id: int) -> HttpResponse:
    place, page = _occupation_page(request, level, code, occupation_id)
    return _all(page, f"monitoring-{place.level}-{place.code}-beruf-{occupation_id}")
