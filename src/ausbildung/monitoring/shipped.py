"""The official figures shipped with the platform: `data/statistics/figures.csv` (sources and gaps in
`data/statistics/README.md`). Every row names its source URL and year; derived rows stay derived."""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .models import OfficialFigure
from .services import FigureRow, SaveReport, official_figures_save

FIGURES_FILE = Path(settings.BASE_DIR) / "data" / "statistics" / "figures.csv"

YearKind = OfficialFigure.YearKind
Kind = OfficialFigure.Kind

# The Zuständigkeitsbereiche of the `…__<Bereich>` suffix (data/statistics/definitions.md).
RESPONSIBILITY_AREAS = {
    "Industrie_und_Handel": "Industrie und Handel",
    "Handwerk": "Handwerk",
    "Oeffentlicher_Dienst": "Öffentlicher Dienst",
    "Landwirtschaft": "Landwirtschaft",
    "Freie_Berufe": "Freie Berufe",
    "Hauswirtschaft": "Hauswirtschaft",
    "Seeschifffahrt": "Seeschifffahrt",
}


def year_kind_of(indicator: str) -> str:
    """The kind of `year` of an indicator, as data/statistics/README.md ("Columns", `year`) states it."""
    if indicator.startswith("neue_Ausbildungsvertraege_Erhebungsbasis_nicht_angegeben"):
        return YearKind.UNSTATED
    if indicator.endswith("_3112") or indicator.startswith(
        ("Vertragsloesungsquote", "vorzeitig_geloeste_Ausbildungsvertraege")
    ):
        return YearKind.CALENDAR_YEAR
    if indicator.startswith(("Ausbildungsbetriebsquote", "Ausbildungsbetriebe")):
        return YearKind.STOCK_3112
    if indicator.startswith("tarifliche_Ausbildungsverguetung"):
        return YearKind.STAND_0110
    return YearKind.REPORTING_YEAR


def kind_of(note: str) -> str:
    """`note` starts with the source-type tag: "[official …]", "[secondary …]" or "[derived]"."""
    tag = note.lstrip("[").lower()
    if tag.startswith("derived"):
        return Kind.DERIVED
    if tag.startswith("official"):
        return Kind.OFFICIAL
    return Kind.SECONDARY


def read_shipped(path: Path = FIGURES_FILE) -> list[FigureRow]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            indicator, _sep, area = line["indicator"].partition("__")
            kind = kind_of(line["note"])
            if kind == Kind.DERIVED:
                value, formula = line["derived_value"], line["derived_formula"]
            else:
                value, formula = line["value"], ""
            code = line["area_code"]
            rows.append(
                FigureRow(
                    indicator=indicator,
                    area_level=OfficialFigure.AreaLevel.GERMANY
                    if code == "DE"
                    else OfficialFigure.AreaLevel.LAND,
                    area_code=code,
                    area_name=line["area"],
                    responsibility_area=RESPONSIBILITY_AREAS.get(area, area.replace("_", " ")),
                    year=int(line["year"]),
                    year_kind=year_kind_of(line["indicator"]),
                    value=Decimal(value) if value else None,
                    unit=line["unit"],
                    source_url=line["source_url"],
                    source_title=line["source_title"],
                    note=line["note"],
                    kind=kind,
                    derived_formula=formula,
                )
            )
    return rows


def load_shipped(path: Path = FIGURES_FILE) -> SaveReport:
    """Load (or correct) the shipped figures; idempotent."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return official_figures_save(rows=read_shipped(path), batch=f"shipped {path.name} {digest}")


def demo_load(organisations: object, users: object) -> None:
    """Demo loader (core.demo.register_demo): a fresh `make run` shows the official figures."""
    load_shipped()
