"""The monitoring page (issue #19): official market balance beside the platform's own counts, and each
table as CSV with the same numbers."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.csv_cells import safe_row
from ausbildung.core.exports import download

from . import indicators, selectors


def _context(request: HttpRequest) -> dict:
    region = selectors.region_for(request.user)
    year = indicators.reporting_year(timezone.localdate())
    return {
        "region": region,
        "year": year,
        "official": selectors.official_tables(region),
        "platform": selectors.platform_rows(region, year) if not region.is_empty else [],
        "coverage": selectors.coverage_rows(region),
        "minimum": indicators.MINIMUM_COUNT,
    }


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/index.html", _context(request))


def _csv_rows(table: str, context: dict) -> list[list]:
    if table == "platform":
        return [[_("Figure"), _("Count")]] + [[row.label, row.value] for row in context["platform"]]
    if table == "coverage":
        header = [
            _("Land"),
            _("Reporting year"),
            _("Platform"),
            _("Official"),
            _("Coverage (percent)"),
            _("Source"),
        ]
        return [header] + [
            [c.land, c.year, c.platform, c.official, c.share, " ".join(s.url for s in c.sources)]
            for c in context["coverage"]
        ]
    for balance in context["official"]:
        if table == f"official-{balance.area_code}":
            header = [_("Area"), _("Reporting year"), _("Figure"), _("Value"), _("Origin"), _("Source")]
            return [header] + [
                [balance.area_name, r.year, r.label, r.value, r.origin, " ".join(s.url for s in r.sources)]
                for r in balance.rows
            ]
    raise Http404


def export(request: HttpRequest, table: str) -> HttpResponse:
    rows = _csv_rows(table, _context(request))  # an unknown table is not found before anything is named
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(safe_row(row))
    content = buffer.getvalue().encode("utf-8")
    return download(content, content_type="text/csv; charset=utf-8", file_name=f"monitoring-{table}.csv")
