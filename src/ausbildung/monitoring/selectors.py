"""Reads of the monitoring pages (issue #19): the region a person monitors, the official market balance of
Germany and of the region's Länder per reporting year (official rows where published, else computed with
`indicators`), and the platform's own counts for the region, small cells suppressed. Numbers only, no persons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Region, Role, TrainingContract
from ausbildung.core.permissions import organisations_for
from ausbildung.offers.selectors import offer_counts_in_regions

from . import indicators
from .models import OfficialFigure

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


# --- formatting (the page and the CSV show the same strings) ------------------------------------------------------


def format_count(value: int | Decimal | float | None) -> str:
    """A count as German text (thousands dot); None as "–" (suppressed or not published)."""
    if value is None:
        return "–"
    return f"{round(value):,}".replace(",", ".")


def format_ratio(value: Decimal | float | None) -> str:
    """A ratio or share with one decimal and a decimal comma, as BIBB prints it; None as "–"."""
    if value is None:
        return "–"
    return f"{float(value):,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


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


@dataclass(frozen=True)
class SourceLink:
    url: str
    title: str


@dataclass(frozen=True)
class BalanceRow:
    year: int
    label: str
    value: str
    origin: str  # official / secondary / derived / computed from …
    sources: list[SourceLink] = field(default_factory=list)


@dataclass(frozen=True)
class BalanceTable:
    area_code: str
    area_name: str
    rows: list[BalanceRow]


KIND_ORDER: dict[str, int] = {
    OfficialFigure.Kind.OFFICIAL: 0,
    OfficialFigure.Kind.SECONDARY: 1,
    OfficialFigure.Kind.DERIVED: 2,
}


def _links(figure: OfficialFigure) -> list[SourceLink]:
    """The figure's sources; a derived row may name several URLs separated by " ; ". Only web addresses."""
    urls = [part.strip() for part in figure.source_url.split(";")]
    urls = [url for url in urls if url.startswith(("https://", "http://"))]
    if len(urls) == 1:
        return [SourceLink(urls[0], figure.source_title)]
    return [SourceLink(url, url) for url in urls]  # one title for several pages: name each by its address


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


def _origin(figure: OfficialFigure) -> str:
    if figure.kind == OfficialFigure.Kind.DERIVED:
        return _("derived: %(formula)s") % {"formula": figure.derived_formula}
    if figure.kind == OfficialFigure.Kind.SECONDARY:
        return _("secondary source")
    return _("official")


def balance_table(area_code: str, area_name: str) -> BalanceTable:
    """The official market balance of an area for its last reporting years with any figure."""
    best = _best_figures(area_code)
    years = sorted({year for _indicator, year in best}, reverse=True)[:YEARS_SHOWN]
    rows = []
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
        for measure in measures():
            fmt = format_ratio if measure.is_ratio else format_count
            figure = best.get((measure.indicator, year))
            if figure is not None:
                rows.append(
                    BalanceRow(year, measure.label, fmt(figure.value), _origin(figure), _links(figure))
                )
                continue
            computed = measure.compute(balance) if measure.compute else None
            if computed is None:
                continue  # neither published nor computable: the row is left out
            used = [f for f in inputs.values() if f is not None]
            sources = list(dict.fromkeys(link for f in used for link in _links(f)))
            origin = _("computed from %(inputs)s") % {"inputs": ", ".join(measure.inputs)}
            rows.append(BalanceRow(year, measure.label, fmt(computed), origin, sources))
    return BalanceTable(area_code=area_code, area_name=area_name, rows=rows)


def official_tables(region: MonitoredRegion) -> list[BalanceTable]:
    tables = [balance_table("DE", _("Germany"))]
    tables += [balance_table(land.land_code, land.name) for land in region.lands]
    return tables


# --- the platform's own counts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformRow:
    key: str
    label: str
    value: str


def contracts_concluded(kreise: QuerySet[Region], year: int) -> int:
    """Training contracts of companies in the Kreise entered on the platform in reporting year `year` and not
    dissolved before 30 September, counted as BIBB counts new contracts (`indicators.bibb_new_contracts`).
    The platform keeps no separate conclusion date: the day the contract was entered stands for it."""
    contracts = TrainingContract.objects.filter(company__region__in=kreise).exclude(
        status=TrainingContract.Status.DRAFT
    )
    facts = [
        indicators.ContractFacts(
            concluded_on=timezone.localdate(created_at), starts_on=start_date, dissolved_on=dissolved_on
        )
        for created_at, start_date, dissolved_on in contracts.values_list(
            "created_at", "start_date", "dissolved_on"
        )
    ]
    return indicators.bibb_new_contracts(facts, year)


def platform_rows(region: MonitoredRegion, year: int) -> list[PlatformRow]:
    counts = offer_counts_in_regions(region.kreise)
    contracts = contracts_concluded(region.kreise, year)
    shown = [
        ("offers_published", _("training offers published now"), counts["published"]),
        ("offers_filled", _("of them with all places filled"), counts["filled"]),
        ("offers_open", _("of them with places still open"), counts["open"]),
        ("applications", _("applications sent for these offers"), counts["applications"]),
        (
            "contracts",
            _("contracts concluded on the platform in reporting year %(year)s") % {"year": year},
            contracts,
        ),
    ]
    return [PlatformRow(key, label, format_count(indicators.suppress_count(n))) for key, label, n in shown]


@dataclass(frozen=True)
class Coverage:
    land: str
    year: int
    platform: str
    official: str
    share: str
    sources: list[SourceLink]


def coverage_rows(region: MonitoredRegion) -> list[Coverage]:
    """Platform contracts of the region per 100 official new contracts of its Land, for the Land's latest
    reporting year with a published count (only where both exist)."""
    result = []
    for land in region.lands:
        best = _best_figures(land.land_code)
        years = sorted((year for indicator, year in best if indicator == NEW), reverse=True)
        if not years:
            continue
        figure = best[(NEW, years[0])]
        platform = indicators.suppress_count(contracts_concluded(region.kreise.filter(parent=land), years[0]))
        official = None if figure.value is None else int(figure.value)
        share = indicators.percent(platform, official)
        result.append(
            Coverage(
                land.name,
                years[0],
                format_count(platform),
                format_count(official),
                format_ratio(share),
                _links(figure),
            )
        )
    return result
