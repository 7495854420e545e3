"""Reads of the monitoring pages (issue #19): the region a person monitors, the official market balance of
Germany and of a Land per reporting year (official rows where published, else computed with `indicators`).
Numbers only, no persons. The pages themselves (platform figures from the cube beside these) are built in
`pages`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Region, Role
from ausbildung.core.permissions import organisations_for

from . import indicators
from .models import OfficialFigure
from .report import Cell, Column, Source, Table, count_cell, ratio_cell, text_cell

# Who sees the monitoring page, and for which organisations' districts.
MONITORING_ROLES = (Role.MONITOR, Role.CHAMBER_OFFICER, Role.COUNSELLOR)
YEARS_SHOWN = 5


# --- the region ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoredRegion:
    """The Kreise a person monitors (the districts of their partner organisation, chamber or agency; a Land
    in a district stands for all its Kreise) and the Länder they lie in."""

    kreise: QuerySet[Region]
    lands: list[Region]

    @property
    def is_empty(self) -> bool:
        return not self.lands


def region_for(user) -> MonitoredRegion:
    districts = Region.objects.filter(
        responsible_organisations__in=organisations_for(user, *MONITORING_ROLES)
    ).distinct()
    kreise = Region.objects.filter(
        Q(pk__in=districts.filter(level=Region.Level.KREIS).values("pk"))
        | Q(parent__in=districts.filter(level=Region.Level.LAND).values("pk")),
        level=Region.Level.KREIS,
    )
    land_codes = {region.land_code for region in districts}
    lands = list(Region.objects.filter(level=Region.Level.LAND, code__in=land_codes).order_by("code"))
    return MonitoredRegion(kreise=kreise, lands=lands)


# --- the official market balance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    indicator: str  # the OfficialFigure indicator
    is_ratio: bool = False
    compute: Callable[[indicators.MarketBalance], float | int | None] | None = None
    inputs: tuple[str, ...] = ()


NEW = "neue_Ausbildungsvertraege_BIBB_3009"
UNFILLED = "unbesetzte_Ausbildungsstellen_3009"
UNPLACED = "unversorgte_Bewerber_3009"
ALTERNATIVE = "Bewerber_mit_Alternative_und_Vermittlungswunsch_3009"


def measures() -> list[Measure]:
    new, unfilled = _("new contracts (30.9.)"), _("unfilled places")
    unplaced, alternative = _("unplaced applicants"), _("applicants with an alternative")
    return [
        Measure("new_contracts", new, NEW),
        Measure("supply", _("supply"), "Ausbildungsplatzangebot", False, indicators.supply, (new, unfilled)),
        Measure(
            "demand_traditional",
            _("demand (traditional)"),
            "Ausbildungsplatznachfrage_traditionell",
            False,
            indicators.demand_traditional,
            (new, unplaced),
        ),
        Measure(
            "demand_extended",
            _("demand (extended)"),
            "Ausbildungsplatznachfrage_erweitert",
            False,
            indicators.demand_extended,
            (new, unplaced, alternative),
        ),
        Measure("unfilled", unfilled, UNFILLED),
        Measure("unplaced", unplaced, UNPLACED),
        Measure("alternative", alternative, ALTERNATIVE),
        Measure(
            "anr",
            _("supply-demand ratio (ANR)"),
            "Angebots_Nachfrage_Relation_traditionell",
            True,
            indicators.supply_demand_ratio_traditional,
            (new, unfilled, unplaced),
        ),
        Measure(
            "eanr",
            _("extended supply-demand ratio (eANR)"),
            "Angebots_Nachfrage_Relation_erweitert",
            True,
            indicators.supply_demand_ratio_extended,
            (new, unfilled, unplaced, alternative),
        ),
    ]


# Footnote markers of the balance cells: where each value comes from.
OFFICIAL_MARK, SECONDARY_MARK, DERIVED_MARK, COMPUTED_MARK = "a", "b", "c", "d"

KIND_ORDER: dict[str, int] = {
    OfficialFigure.Kind.OFFICIAL: 0,
    OfficialFigure.Kind.SECONDARY: 1,
    OfficialFigure.Kind.DERIVED: 2,
}
KIND_MARK: dict[str, str] = {
    OfficialFigure.Kind.OFFICIAL: OFFICIAL_MARK,
    OfficialFigure.Kind.SECONDARY: SECONDARY_MARK,
    OfficialFigure.Kind.DERIVED: DERIVED_MARK,
}


def _sources(figure: OfficialFigure) -> list[Source]:
    """The figure's sources, with its year; a derived row may name several URLs separated by " ; " (each is
    then named by its address). Only web addresses."""
    urls = [part.strip() for part in figure.source_url.split(";")]
    urls = [url for url in urls if url.startswith(("https://", "http://"))]
    if len(urls) == 1:
        return [Source(urls[0], figure.source_title, figure.year)]
    return [Source(url, url, figure.year) for url in urls]


def _best_figures(area_code: str) -> dict[tuple[str, int], OfficialFigure]:
    """Per (indicator, year): the published value to show, official before secondary before derived."""
    figures = OfficialFigure.objects.filter(
        indicator__in=[m.indicator for m in measures()],
        area_code=area_code,
        responsibility_area="",
        occupation_code="",
        year_kind=OfficialFigure.YearKind.REPORTING_YEAR,
        value__isnull=False,
    )
    best: dict[tuple[str, int], OfficialFigure] = {}
    for figure in sorted(figures, key=lambda f: (KIND_ORDER.get(f.kind, 3), f.source_url)):
        best.setdefault((figure.indicator, figure.year), figure)
    return best


def _marker_notes(used_marks: set[str]) -> list[str]:
    """The notes explaining the footnote markers used, in their order."""
    texts = {
        OFFICIAL_MARK: _("a: official, the value as the office published it."),
        SECONDARY_MARK: _("b: secondary source, a report quoting the office."),
        DERIVED_MARK: _("c: derived by the source from other published figures (never official)."),
        COMPUTED_MARK: _(
            "d: computed on this page from the published figures of the same year (see the definitions)."
        ),
    }
    return [texts[mark] for mark in sorted(used_marks)]


def _balance_notes(used_marks: set[str], derived: list[str]) -> list[str]:
    notes = _marker_notes(used_marks) + derived
    notes.append(_("–: not published and not computable from published figures."))
    return notes


def balance_table(area_code: str, area_name: str) -> Table:
    """The official market balance of an area as a pivot: one row per figure (`measures()`), one column per
    reporting year (the last `YEARS_SHOWN` with any figure, oldest first). A published value is shown with
    its kind's marker (a official, b secondary, c derived); where none was published, the value computed
    from the year's published counts (marker d, its inputs' sources listed); else "–". The sources are
    listed once under the table, each with its year."""
    best = _best_figures(area_code)
    years = sorted(sorted({year for _indicator, year in best}, reverse=True)[:YEARS_SHOWN])
    columns = [Column("figure", _("Figure"), "text")]
    columns += [Column(str(year), str(year), "count") for year in years]
    rows: list[list[Cell]] = [[text_cell(measure.label)] for measure in measures()]
    sources: list[Source] = []
    used_marks: set[str] = set()
    derived: list[str] = []
    imported: list[datetime.date] = []
    for year in years:
        inputs = {ind: best.get((ind, year)) for ind in (NEW, UNFILLED, UNPLACED, ALTERNATIVE)}

        def count(indicator: str, inputs=inputs) -> int | None:
            figure = inputs[indicator]
            return None if figure is None or figure.value is None else int(figure.value)

        balance = indicators.MarketBalance(
            new_contracts=count(NEW),
            unfilled_places=count(UNFILLED),
            unplaced_applicants=count(UNPLACED),
            applicants_with_alternative=count(ALTERNATIVE),
        )
        for row, measure in zip(rows, measures(), strict=True):
            make = ratio_cell if measure.is_ratio else count_cell
            figure = best.get((measure.indicator, year))
            value: float | int | Decimal | None
            if figure is not None:
                value, mark, used = figure.value, KIND_MARK.get(figure.kind, DERIVED_MARK), [figure]
                if figure.kind == OfficialFigure.Kind.DERIVED and figure.derived_formula:
                    derived.append(f"c ({measure.label}, {year}): {figure.derived_formula}")
            else:
                value = measure.compute(balance) if measure.compute else None
                mark = COMPUTED_MARK if value is not None else ""
                used = [f for f in inputs.values() if f is not None] if value is not None else []
            row.append(make(value, mark))
            if mark:
                used_marks.add(mark)
            for f in used:
                imported.append(timezone.localdate(f.imported_at))
                sources += [s for s in _sources(f) if s not in sources]
    as_of = max(imported).isoformat() if imported else ""
    caption = _("Official market balance: %(area)s, reporting years %(years)s") % {
        "area": area_name,
        "years": f"{years[0]}–{years[-1]}" if years else "–",
    }
    return Table(
        key=f"official-{area_code}",
        title=area_name,
        caption=caption,
        columns=columns,
        rows=rows if years else [],
        notes=_balance_notes(used_marks, derived) if years else [],
        sources=sorted(sources, key=lambda s: (-(s.year or 0), s.title, s.url)),
        as_of=as_of,
    )
