"""The monitoring pages (issue #19): what the home, an area page and an occupation page show, built from the
cube (`platform`, `cube`), the official figures (`OfficialFigure`) and the names of regions and occupations
only, never from the raw contracts or offers. Every table is a `report.Table`, so the page, its CSV/XLSX
downloads and the JSON API carry the same numbers; every chart is a `charts.Chart` made from the same values.

URL scheme: ``/monitoring/`` (home), ``/monitoring/gebiet/<level>/<code>/`` (level ``de``/``land``/``kreis``,
code ``DE``, a Land's two digits or a Kreis's five) and ``…/beruf/<occupation id>/``; each page's tables at
``…/export/<key>.<csv|xlsx>`` and ``…/export/all.xlsx``. Germany is open to every monitoring role; a Land or
Kreis only within the person's region (`selectors.region_for`), else the page does not exist for them.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Occupation, Organisation, Region

from . import charts, cube, platform
from .models import CubeRefresh, OfficialFigure
from .report import Cell, Column, Source, Table, count_cell, ratio_cell, text_cell, year_cell
from .selectors import NEW, MonitoredRegion, balance_table

YEARS_SHOWN = 5
MONTHS_SHOWN = 36
TOP_OCCUPATIONS = 10
DEFAULT_INDICATOR = "contracts_new"
MONTHLY_KEYS = ("contracts_concluded", "offers_published", "applicants")
PART_KEYS = ("contracts_new", "offers_published", "places_unfilled", "applicants", "applicants_unplaced")
OCCUPATION_KEYS = ("contracts_new", "offers_published", "applicants")
# The figures per Zuständigkeitsbereich (chamber kind): the market and the quality of training per chamber
# district, as the issue asks for the record book and the working-time findings.
RESPONSIBILITY_KEYS = (
    "contracts_new",
    "offers_published",
    "places_unfilled",
    "dissolutions",
    "dissolution_rate",
    "dissolution_rate_probation",
    "record_completeness",
    "record_signed_share",
    "worktime_findings_per_100_weeks",
    "clearing_placement_rate",
)
ALL = "all"  # the key of the workbook with every table; no table has it


# --- where a page is ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """An area a page is about: Germany, a Land or a Kreis, with its parent (Kreis → Land → Germany)."""

    level: str
    code: str
    name: str
    parent: Place | None = None

    def scope(self, occupation_id: int | None = None) -> cube.Scope:
        return cube.Scope(self.level, self.code, occupation_id)

    @property
    def url(self) -> str:
        return reverse("monitoring:area", args=[self.level, self.code])

    def occupation_url(self, occupation_id: int) -> str:
        # one reverse per page, not per row (a national page links some 300 occupations)
        return self._occupation_url_pattern.replace("999999999", str(int(occupation_id)))

    @property
    def _occupation_url_pattern(self) -> str:
        return _occupation_pattern(self.level, self.code)


@functools.lru_cache(maxsize=1024)
def _occupation_pattern(level: str, code: str) -> str:
    return reverse("monitoring:occupation", args=[level, code, 999999999])


def germany() -> Place:
    return Place(cube.DE, "DE", _("Germany"))


def find_place(region: MonitoredRegion, level: str, code: str) -> Place | None:
    """The area of the URL if the person may see it: Germany always, a Land or Kreis of their region only;
    None for anything else (an unknown level or code, another region)."""
    if level == cube.DE:
        return germany() if code == "DE" else None
    if level == cube.LAND and re.fullmatch(r"\d{2}", code):
        land = next((land for land in region.lands if land.code == code), None)
        return None if land is None else Place(cube.LAND, land.code, land.name, germany())
    if level == cube.KREIS and re.fullmatch(r"\d{5}", code):
        kreis = region.kreise.filter(code=code).select_related("parent").first()
        if kreis is None or kreis.parent is None:
            return None
        parent = Place(cube.LAND, kreis.parent.code, kreis.parent.name, germany())
        return Place(cube.KREIS, kreis.code, kreis.name, parent)
    return None


MAX_ID = 2**31 - 1  # larger numbers are no key (PostgreSQL would refuse to compare them)


def find_occupation(occupation_id: int) -> Occupation | None:
    if not 0 < occupation_id <= MAX_ID:
        return None
    return Occupation.objects.filter(pk=occupation_id).only("pk", "name").first()


# --- the definitions and the indicator of a map -----------------------------------------------------------------


def definitions_by_key() -> dict[str, platform.Definition]:
    """The definitions in the active language, made once per page (`_begin` starts a page)."""
    state = _DEFINITIONS.get()
    if state is None:
        state = {definition.key: definition for definition in platform.definitions()}
        _DEFINITIONS.set(state)
    return state


NOT_MAPPED = {"contracts_concluded"}  # kept by month only: no breakdown by area


def map_definitions() -> list[platform.Definition]:
    """The indicators a map can be coloured by."""
    return [definition for definition in platform.definitions() if definition.key not in NOT_MAPPED]


def map_indicator(requested: str | None) -> str:
    """The indicator a map is coloured by: the requested one if it is known, else the default."""
    known = {definition.key for definition in map_definitions()}
    if requested and requested in known:
        return requested
    return DEFAULT_INDICATOR


def _cell(value: float | int | None, unit: str) -> Cell:
    return count_cell(value) if unit == "count" else ratio_cell(value)


def _shown(value: float | int | None, unit: str) -> str:
    return _cell(value, unit).shown


def _raw(cell: Cell) -> float | None:
    """A cell's number for a chart (None: suppressed or not published)."""
    return float(cell.raw) if isinstance(cell.raw, int | float) else None


def _decimals(unit: str) -> int:
    return 0 if unit == "count" else 1


def suppression_note() -> str:
    return _(
        "–: a count below the minimum is not shown so that nobody can be recognised (and neither are rates "
        "computed from it, nor a cell from which it could be recovered); or the figure cannot be computed."
    )


# --- key figures ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One key figure as the page shows it: value, trend arrow with its words, the parent's value."""

    key: str
    label: str
    definition: str
    year: int  # the figure's own year: a calendar-year figure is one year behind the reporting year
    shown: str
    arrow: str
    trend_text: str
    parent_name: str
    parent_shown: str


ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def _trend_text(figure: platform.Figure) -> str:
    if figure.trend is None:
        return _("no comparison with %(year)s possible") % {"year": figure.year - 1}
    texts = {
        "up": _("increased compared with %(year)s: %(previous)s"),
        "down": _("decreased compared with %(year)s: %(previous)s"),
        "flat": _("unchanged compared with %(year)s: %(previous)s"),
    }
    return texts[figure.trend] % {"year": figure.year - 1, "previous": _shown(figure.previous, figure.unit)}


def cards(
    figures: Sequence[platform.Figure], parent: Place | None, parent_figures: Sequence[platform.Figure]
):
    by_key = {figure.key: figure for figure in parent_figures}
    return [
        Card(
            key=figure.key,
            label=figure.label,
            definition=figure.definition,
            year=figure.year,
            shown=figure.shown,
            arrow=ARROWS.get(figure.trend or "", ""),
            trend_text=_trend_text(figure),
            parent_name=parent.name if parent else "",
            parent_shown=by_key[figure.key].shown if figure.key in by_key else "",
        )
        for figure in figures
    ]


def figures_table(
    key: str,
    place: Place,
    figures: Sequence[platform.Figure],
    parent: Place | None,
    parent_figures: Sequence[platform.Figure],
    title: str,
) -> Table:
    """The key figures of an area: this year, the year before, and the parent area's value this year."""
    reporting = [figure.year for figure in figures if figure.year_kind != "calendar"]
    year = reporting[0] if reporting else platform.latest_complete_year()
    columns = [
        Column("figure", _("Figure"), "text"),
        Column("value", f"{place.name} {year}", "count"),
        Column("previous", f"{place.name} {year - 1}", "count"),
    ]
    if parent is not None:
        columns.append(Column("parent", f"{parent.name} {year}", "count"))
    by_key = {figure.key: figure for figure in parent_figures}
    rows = []
    for figure in figures:
        label = figure.label
        if figure.year != year:  # a calendar-year figure beside the reporting year (platform.figures)
            label = _("%(label)s (calendar year %(year)s)") % {"label": label, "year": figure.year}
        row = [text_cell(label), _cell(figure.value, figure.unit), _cell(figure.previous, figure.unit)]
        if parent is not None:
            other = by_key.get(figure.key)
            row.append(_cell(other.value if other else None, figure.unit))
        rows.append(row)
    return Table(
        key=key,
        title=title,
        caption=_("Key figures: %(area)s, reporting year %(year)s") % {"area": place.name, "year": year},
        columns=columns,
        rows=rows,
        notes=[suppression_note(), *[f"{f.label}: {f.definition}" for f in figures]],
        as_of=as_of().isoformat(),
    )


# --- freshness ----------------------------------------------------------------------------------------------------


_STATE: contextvars.ContextVar[tuple[CubeRefresh | None, str] | None] = contextvars.ContextVar(
    "monitoring_page_reads", default=None
)


_DEFINITIONS: contextvars.ContextVar[dict[str, platform.Definition] | None] = contextvars.ContextVar(
    "monitoring_page_definitions", default=None
)


def _begin() -> tuple[CubeRefresh | None, str]:
    """Start a page: read once whether (and when) the cube was built, for every read of the page."""
    refresh = cube.last_refresh()
    # MONITORING_SOURCE (the benchmark's live reference) wins; else the cube once built, live before
    chosen = getattr(settings, "MONITORING_SOURCE", None) or (cube.CUBE if refresh is not None else cube.LIVE)
    state = (refresh, chosen)
    _STATE.set(state)
    _DEFINITIONS.set(None)  # the language may differ from the last page of this thread
    return state


def _state() -> tuple[CubeRefresh | None, str]:
    state = _STATE.get()
    return state if state is not None else _begin()


def _source() -> str:
    return _state()[1]


def as_of() -> datetime.date:
    refresh = _state()[0]
    return (refresh.finished_at if refresh else datetime.datetime.now(datetime.UTC)).date()


def freshness() -> str:
    refresh = _state()[0]
    if refresh is None:
        return _("computed live")
    return _("platform figures as of %(when)s") % {
        "when": timezone.localtime(refresh.finished_at).strftime("%d.%m.%Y %H:%M")
    }


# --- breakdowns ---------------------------------------------------------------------------------------------------


def _region_names(codes: Sequence[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def parts_table(
    place: Place, by: str, year: int, indicator: str, names: dict[str, str], allowed: set[str]
) -> Table:
    """The Länder of Germany or the Kreise of a Land, one row each, with the main counts and the map's
    indicator (each a link to its page when the person may open it)."""
    definitions = definitions_by_key()
    keys = [key for key in dict.fromkeys([*PART_KEYS, indicator]) if key in definitions]
    values = platform.breakdowns(place.scope(), by, keys, year, source=_source())
    codes = sorted({code for found in values.values() for code in found} | set(names))
    columns = [Column("area", _("Land") if by == cube.LAND else _("Kreis"), "text")]
    columns += [Column(key, definitions[key].label, "count") for key in keys]
    rows = [
        [text_cell(names.get(code, code))]
        + [_cell(values[key].get(code), definitions[key].unit) for key in keys]
        for code in codes
    ]
    return Table(
        key="laender" if by == cube.LAND else "kreise",
        title=_("Länder") if by == cube.LAND else _("Kreise"),
        caption=_("%(parts)s of %(area)s, reporting year %(year)s")
        % {"parts": _("Länder") if by == cube.LAND else _("Kreise"), "area": place.name, "year": year},
        columns=columns,
        rows=rows,
        notes=[suppression_note()],
        as_of=as_of().isoformat(),
        links=[reverse("monitoring:area", args=[by, code]) if code in allowed else "" for code in codes],
    )


def responsibility_table(place: Place, year: int) -> Table:
    """The figures per Zuständigkeitsbereich (IHK, HWK, …) of the area: a column per chamber kind with anything
    counted, a row per figure. Each count is suppressed across the kinds against the area's total
    (`platform.breakdown`), so a small kind cannot be read off as the total minus the others."""
    definitions = definitions_by_key()
    keys = [key for key in RESPONSIBILITY_KEYS if key in definitions]
    values = platform.breakdowns(place.scope(), cube.RESPONSIBILITY, keys, year, source=_source())
    labels = dict(Organisation.ChamberKind.choices)
    kinds = [
        kind
        for kind in Organisation.ChamberKind.values
        # a kind with anything counted: a count shown, or hidden ("–" is something too)
        if any(values[key].get(kind, 0) != 0 for key in keys if definitions[key].unit == "count")
    ]
    columns = [Column("figure", _("Figure"), "text")]
    columns += [Column(kind, str(labels[kind]), "count") for kind in kinds]
    rows = []
    for key in keys:
        definition = definitions[key]
        label = definition.label
        if definition.year_kind == "calendar":
            label = _("%(label)s (calendar year %(year)s)") % {"label": label, "year": year - 1}
        rows.append([text_cell(label)] + [_cell(values[key].get(kind), definition.unit) for kind in kinds])
    return Table(
        key="zustaendigkeit",
        title=_("By area of responsibility (Zuständigkeitsbereich)"),
        caption=_("Figures of %(area)s by area of responsibility, reporting year %(year)s")
        % {"area": place.name, "year": year},
        columns=columns,
        rows=rows if kinds else [],
        notes=[suppression_note()],
        as_of=as_of().isoformat(),
    )


def occupations_table(place: Place, year: int) -> tuple[Table, list[tuple[int, str, float | int | None]]]:
    """Every occupation with platform figures in the area (most new contracts first) and the ranking used
    by the bar chart: ``(occupation id, name, new contracts)``."""
    definitions = definitions_by_key()
    values = platform.breakdowns(place.scope(), "occupation", list(OCCUPATION_KEYS), year, source=_source())
    ids = {int(code) for found in values.values() for code in found if code.isdigit()}
    names = dict(Occupation.objects.filter(pk__in=ids).values_list("pk", "name"))
    first = OCCUPATION_KEYS[0]
    ranked = sorted(
        (i for i in ids if i in names),
        key=lambda i: (-(values[first].get(str(i)) or 0), names[i]),
    )
    rows = [
        [text_cell(names[i])] + [_cell(values[k].get(str(i)), definitions[k].unit) for k in OCCUPATION_KEYS]
        for i in ranked
    ]
    table = Table(
        key="berufe",
        title=_("Occupations"),
        caption=_("Occupations in %(area)s, reporting year %(year)s") % {"area": place.name, "year": year},
        columns=[Column("occupation", _("Occupation"), "text")]
        + [Column(k, definitions[k].label, "count") for k in OCCUPATION_KEYS],
        rows=rows,
        notes=[suppression_note()],
        as_of=as_of().isoformat(),
        links=[place.occupation_url(i) for i in ranked],
    )
    return table, [(i, names[i], values[first].get(str(i))) for i in ranked]


# --- official beside platform -------------------------------------------------------------------------------------


def official_new_contracts(area_code: str) -> dict[int, OfficialFigure]:
    """Per reporting year: the published count of new contracts of the area (official before secondary
    before derived)."""
    order: dict[str, int] = {
        OfficialFigure.Kind.OFFICIAL: 0,
        OfficialFigure.Kind.SECONDARY: 1,
        OfficialFigure.Kind.DERIVED: 2,
    }
    rows = OfficialFigure.objects.filter(
        indicator=NEW,
        area_code=area_code,
        responsibility_area="",
        occupation_code="",
        year_kind=OfficialFigure.YearKind.REPORTING_YEAR,
        value__isnull=False,
    )
    best: dict[int, OfficialFigure] = {}
    for figure in sorted(rows, key=lambda f: (order.get(f.kind, 3), f.source_url)):
        best.setdefault(figure.year, figure)
    return best


def coverage(platform_count: float | int | None, official: float | int | None) -> float | None:
    """Platform contracts per 100 official new contracts."""
    if platform_count is None or not official:
        return None
    return 100 * platform_count / official


def coverage_sentence(per_100: float | None, year: int) -> str:
    if per_100 is None:
        return ""
    if per_100 < 1:
        return _(
            "In %(year)s the platform recorded fewer than 1 in 100 of the new contracts here: its figures are "
            "not the training market."
        ) % {"year": year}
    if per_100 < 50:
        return _(
            "In %(year)s the platform recorded about %(n)s in 100 of the new contracts here: its figures are "
            "not the training market."
        ) % {"year": year, "n": round(per_100)}
    return _("In %(year)s the platform recorded about %(n)s in 100 of the new contracts here.") % {
        "year": year,
        "n": round(per_100),
    }


@dataclass
class Yearly:
    table: Table
    chart: charts.Chart
    sentence: str


def yearly_official(place: Place, year: int) -> Yearly:
    """Official new contracts (solid) beside the platform's (dashed) and the coverage, the last years."""
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    official = official_new_contracts(place.code) if place.level != cube.KREIS else {}
    ours = platform.yearly(place.scope(), "contracts_new", years, source=_source())
    rows, sources = [], []
    shares: dict[int, float | None] = {}
    for y in years:
        figure = official.get(y)
        value = None if figure is None or figure.value is None else int(figure.value)
        shares[y] = coverage(ours.get(y), value)
        rows.append([year_cell(y), count_cell(value), count_cell(ours.get(y)), ratio_cell(shares[y])])
        if figure is not None:
            source = Source(figure.source_url.split(";")[0].strip(), figure.source_title, figure.year)
            if source.url.startswith(("https://", "http://")) and source not in sources:
                sources.append(source)
    table = Table(
        key="vertraege",
        title=_("New contracts: official and platform"),
        caption=_("New contracts in %(area)s: official count and platform count per reporting year")
        % {"area": place.name},
        columns=[
            Column("year", _("Reporting year"), "year"),
            Column("official", _("official (BIBB, 30.9.)"), "count"),
            Column("platform", _("platform"), "count"),
            Column("coverage", _("platform per 100 official"), "ratio"),
        ],
        rows=rows,
        notes=[
            suppression_note(),
            _("Official counts exist for Germany and the Länder only, not for a Kreis."),
        ],
        sources=sources,
        as_of=as_of().isoformat(),
    )
    chart = charts.line_chart(
        key="verlauf-vertraege",
        title=table.caption,
        x_labels=[str(y) for y in years],
        series=[
            charts.Series(
                _("new contracts, official"), [_raw(row[1]) for row in rows], "official", _("BIBB, 30.9.")
            ),
            charts.Series(
                _("new contracts, platform"), [_raw(row[2]) for row in rows], "platform", _("platform")
            ),
        ],
        definition=_(
            "New contracts: training contracts concluded in the reporting year (1 October to 30 September) "
            "and not dissolved by 30 September (BIBB survey); the platform counts its own contracts the same way."
        ),
        source=", ".join(f"{s.title} ({s.year})" for s in sources) or _("platform"),
    )
    latest = next((y for y in reversed(years) if shares[y] is not None), None)
    sentence = coverage_sentence(shares[latest], latest) if latest is not None else ""
    return Yearly(table, chart, sentence)


def monthly(place: Place) -> tuple[Table, charts.Chart]:
    definitions = definitions_by_key()
    keys = [key for key in MONTHLY_KEYS if key in definitions]
    lines = {key: platform.monthly(place.scope(), key, months=MONTHS_SHOWN, source=_source()) for key in keys}
    months = [month for month, _value in lines[keys[0]]] if keys else []
    rows = [
        [text_cell(month.strftime("%m/%Y"))] + [count_cell(lines[key][index][1]) for key in keys]
        for index, month in enumerate(months)
    ]
    table = Table(
        key="monatlich",
        title=_("Platform by month"),
        caption=_("Platform figures of %(area)s by month") % {"area": place.name},
        columns=[Column("month", _("Month"), "text")]
        + [Column(key, definitions[key].label, "count") for key in keys],
        rows=rows,
        notes=[suppression_note()],
        as_of=as_of().isoformat(),
    )
    chart = charts.line_chart(
        key="verlauf-monatlich",
        title=table.caption,
        x_labels=[month.strftime("%m/%y") for month in months],
        series=[
            charts.Series(
                definitions[key].label, [_raw(row[1 + i]) for row in rows], "platform", _("platform")
            )
            for i, key in enumerate(keys)
        ],
        definition=" ".join(f"{definitions[key].label}: {definitions[key].definition}" for key in keys),
        source=_("platform, %(freshness)s") % {"freshness": freshness()},
    )
    return table, chart


# --- the pages ------------------------------------------------------------------------------------------------------


@dataclass
class Page:
    """Everything one page shows; `tables` are the downloadable ones, in the page's order."""

    tables: list[Table] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def _links(region: MonitoredRegion) -> tuple[set[str], set[str]]:
    lands = {land.code for land in region.lands}
    kreise = set(region.kreise.values_list("code", flat=True))
    return lands, kreise


def land_map(indicator: str, year: int, lands: set[str], names: dict[str, str]) -> charts.Chart:
    definition = definitions_by_key()[indicator]
    values = platform.breakdown(germany().scope(), cube.LAND, indicator, year, source=_source())
    areas = [
        charts.Area(
            code,
            names.get(code, code),
            values.get(code),
            reverse("monitoring:area", args=[cube.LAND, code]) if code in lands else "",
        )
        for code in sorted(charts.LAND_TILES)
    ]
    return charts.land_tile_map(
        key="karte-laender",
        title=_("%(indicator)s by Land, reporting year %(year)s")
        % {"indicator": definition.label, "year": year},
        areas=areas,
        value_label=definition.label,
        definition=definition.definition,
        source=_("platform, %(freshness)s") % {"freshness": freshness()},
        decimals=_decimals(definition.unit),
    )


def home(region: MonitoredRegion, indicator: str | None = None) -> Page:
    """The home: per Land of the region its key figures beside Germany's; the Länder map."""
    _begin()
    year = platform.latest_complete_year()
    indicator = map_indicator(indicator)
    de = germany()
    de_figures = platform.figures(de.scope(), year, list(platform.KEY_FIGURES), source=_source())
    page = Page()
    blocks = []
    for land in region.lands:
        place = Place(cube.LAND, land.code, land.name, de)
        figures = platform.figures(place.scope(), year, list(platform.KEY_FIGURES), source=_source())
        table = figures_table(f"kennzahlen-{land.code}", place, figures, de, de_figures, land.name)
        page.tables.append(table)
        blocks.append({"place": place, "cards": cards(figures, de, de_figures), "table": table})
    if not region.lands:
        table = figures_table("kennzahlen-DE", de, de_figures, None, [], de.name)
        page.tables.append(table)
        blocks.append({"place": de, "cards": cards(de_figures, None, []), "table": table})
    lands = {land.code for land in region.lands}
    names = _region_names(sorted(charts.LAND_TILES))
    page.context = {
        "year": year,
        "blocks": blocks,
        "germany": de,
        "map": land_map(indicator, year, lands, names),
        "indicator": indicator,
        "indicators": map_definitions(),
        "freshness": freshness(),
    }
    return page


def area(region: MonitoredRegion, place: Place, indicator: str | None = None) -> Page:
    """An area page: key figures beside the parent's, monthly and yearly series, its parts, its
    occupations, the official balance (Germany, Land), the definitions."""
    _begin()
    year = platform.latest_complete_year()
    indicator = map_indicator(indicator)
    definitions = definitions_by_key()
    keys = list(platform.KEY_FIGURES)
    every = [definition.key for definition in platform.definitions()]
    all_figures = platform.figures(place.scope(), year, every, source=_source())
    parent_all = platform.figures(place.parent.scope(), year, every, source=_source()) if place.parent else []
    figures = [figure for figure in all_figures if figure.key in keys]
    figures.sort(key=lambda figure: keys.index(figure.key))
    parent_figures = [figure for figure in parent_all if figure.key in keys]
    page = Page()
    figures_tab = figures_table("kennzahlen", place, all_figures, place.parent, parent_all, _("All figures"))
    page.tables.append(figures_tab)
    responsibility = responsibility_table(place, year)
    page.tables.append(responsibility)
    month_table, month_chart = monthly(place)
    yearly = yearly_official(place, year)
    page.tables += [month_table, yearly.table]
    lands, kreise = _links(region)
    parts_chart = None
    parts = None
    if place.level == cube.DE:
        names = _region_names(sorted(charts.LAND_TILES))
        parts = parts_table(place, cube.LAND, year, indicator, names, lands)
        parts_chart = land_map(indicator, year, lands, names)
    elif place.level == cube.LAND:
        values = platform.breakdown(place.scope(), cube.KREIS, indicator, year, source=_source())
        kreis_names = dict(
            Region.objects.filter(level=Region.Level.KREIS, code__startswith=place.code).values_list(
                "code", "name"
            )
        )
        parts = parts_table(place, cube.KREIS, year, indicator, kreis_names, kreise)
        definition = definitions[indicator]
        parts_chart = charts.kreis_map(
            key="karte-kreise",
            title=_("%(indicator)s by Kreis, reporting year %(year)s")
            % {"indicator": definition.label, "year": year},
            areas=[
                charts.Area(
                    code,
                    name,
                    values.get(code),
                    reverse("monitoring:area", args=[cube.KREIS, code]) if code in kreise else "",
                )
                for code, name in sorted(kreis_names.items())
            ],
            value_label=definition.label,
            definition=definition.definition,
            source=_("platform, %(freshness)s") % {"freshness": freshness()},
            decimals=_decimals(definition.unit),
        )
    if parts is not None:
        page.tables.append(parts)
    occupations, ranking = occupations_table(place, year)
    page.tables.append(occupations)
    occupation_chart = charts.bar_chart(
        key="balken-berufe",
        title=_("Occupations with the most new contracts (at most %(n)s), %(year)s")
        % {"n": TOP_OCCUPATIONS, "year": year},
        bars=[
            charts.Bar(name, value, place.occupation_url(i)) for i, name, value in ranking[:TOP_OCCUPATIONS]
        ],
        value_label=definitions["contracts_new"].label,
        definition=definitions["contracts_new"].definition,
        source=_("platform, %(freshness)s") % {"freshness": freshness()},
    )
    balance = None
    if place.level in (cube.DE, cube.LAND):
        balance = balance_table(place.code, place.name)
        page.tables.append(balance)
    page.context = {
        "year": year,
        "place": place,
        "cards": cards(figures, place.parent, parent_figures),
        "figures_table": figures_tab,
        "responsibility": responsibility,
        "month_chart": month_chart,
        "yearly": yearly,
        "parts": parts,
        "parts_chart": parts_chart,
        "occupations": occupations,
        "occupation_chart": occupation_chart,
        "balance": balance,
        "indicator": indicator,
        "indicators": map_definitions(),
        "freshness": freshness(),
        "definitions": [definitions[key] for key in every if key in definitions],
    }
    return page


def occupation(place: Place, occupation: Occupation) -> Page:
    """An occupation in an area: its key figures beside those of the same occupation in the parent area, and
    its yearly series."""
    _begin()
    year = platform.latest_complete_year()
    definitions = definitions_by_key()
    keys = list(platform.KEY_FIGURES)
    figures = platform.figures(place.scope(occupation.pk), year, keys, source=_source())
    parent_figures = (
        platform.figures(place.parent.scope(occupation.pk), year, keys, source=_source())
        if place.parent
        else []
    )
    page = Page()
    figures_tab = figures_table("kennzahlen", place, figures, place.parent, parent_figures, _("Key figures"))
    page.tables.append(figures_tab)
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    series_keys = [key for key in OCCUPATION_KEYS if key in definitions]
    values = {
        key: platform.yearly(place.scope(occupation.pk), key, years, source=_source()) for key in series_keys
    }
    rows = [
        [year_cell(y)] + [_cell(values[key].get(y), definitions[key].unit) for key in series_keys]
        for y in years
    ]
    table = Table(
        key="jahre",
        title=_("By reporting year"),
        caption=_("%(occupation)s in %(area)s by reporting year")
        % {"occupation": occupation.name, "area": place.name},
        columns=[Column("year", _("Reporting year"), "year")]
        + [Column(key, definitions[key].label, "count") for key in series_keys],
        rows=rows,
        notes=[suppression_note()],
        as_of=as_of().isoformat(),
    )
    page.tables.append(table)
    chart = charts.line_chart(
        key="verlauf-jahre",
        title=table.caption,
        x_labels=[str(y) for y in years],
        series=[
            charts.Series(
                definitions[key].label, [_raw(row[1 + i]) for row in rows], "platform", _("platform")
            )
            for i, key in enumerate(series_keys)
        ],
        definition=" ".join(f"{definitions[k].label}: {definitions[k].definition}" for k in series_keys),
        source=_("platform, %(freshness)s") % {"freshness": freshness()},
    )
    page.context = {
        "year": year,
        "place": place,
        "occupation": occupation,
        "cards": cards(figures, place.parent, parent_figures),
        "figures_table": figures_tab,
        "years_table": table,
        "chart": chart,
        "freshness": freshness(),
        "definitions": [definitions[key] for key in keys if key in definitions],
    }
    return page
