"""The platform's own indicators (issue #19): cube counts in, suppressed figures with German label and
definition out.

Every figure is computed from the monitoring cube (:mod:`.cube`: ``totals``, ``series``, ``children``) with the
pure definitions of :mod:`.indicators`; every count goes through :func:`indicators.suppress_count` first, so a
rate computed from a suppressed count is ``None`` too. These are platform figures (what happened on the
platform), never the training market: each definition says so.

**Registry.** Each indicator is a :class:`PlatformIndicator` (key, label, definition, unit, kind of year, the
cube counts it reads and the function that computes it from them) registered with :func:`register`, which
also enters it in the platform's registry of :mod:`.indicators` (``PLATFORM_REGISTRY``, through
``indicators.register_indicator``; the official market indicators of the same names live in
``indicators.REGISTRY``). The indicators below are registered when this module is imported (the app's
``ready`` imports it). A later app (say, the campaigns of the "Sommer der Berufsausbildung") registers its
cube provider (``cube.register_provider``) and then its indicators the same way, in its ``AppConfig.ready``::

    platform.register(platform.PlatformIndicator(key="campaign_visits", ..., inputs=..., compute=...))

and :func:`figures`, :func:`yearly` and :func:`breakdown` show them without any change here.

**Suppression.** Counts below ``indicators.MINIMUM_COUNT`` are ``None``. In a breakdown (:func:`breakdown`)
each count read is suppressed across the parts with ``indicators.suppress_line`` against the parent's total
(complementary suppression), so a hidden part cannot be worked out as the parent's total minus the shown parts;
a rate of a part is computed from those suppressed counts.

Definitions in words: docs/domain.md, "Platform indicators".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Organisation, Region

from . import cube, indicators
from .report import format_count, format_ratio

COUNT, PERCENT, PER100, INDEX = "count", "percent", "per100", "index"
REPORTING, CALENDAR = "reporting", "calendar"
FLAT_TOLERANCE = 0.005  # a change below 0.5 % of the previous value is "flat"

Counts = Mapping[tuple[str, int], int | None]  # (measure, year) -> suppressed count
Value = float | int | None

PLATFORM_REGISTRY = indicators.IndicatorRegistry()

_PLATFORM_NOTE = _("Platform figure, not the training market (Plattformzahl, nicht der Ausbildungsmarkt).")


@dataclass(frozen=True)
class PlatformIndicator:
    """One platform indicator. ``inputs(year)`` names the cube counts ``(measure, year)`` it reads;
    ``compute(counts, year)`` computes it from them (suppressed counts are ``None``). ``monthly``: the
    measure of its monthly series, for a count that has one."""

    key: str
    label: str | Promise
    definition: str | Promise
    unit: str
    year_kind: str
    inputs: Callable[[int], Sequence[tuple[str, int]]]
    compute: Callable[[Counts, int], Value]
    monthly: str | None = None


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    definition: str
    unit: str
    year_kind: str


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    unit: str
    year: int
    year_kind: str
    value: Value
    shown: str
    previous: Value
    trend: str | None


_INDICATORS: dict[str, PlatformIndicator] = {}


def register(indicator: PlatformIndicator) -> PlatformIndicator:
    """Add a platform indicator (``ValueError`` if the key is taken); see the module's docstring."""
    indicators.register_indicator(
        indicator.key,
        indicator.label,
        indicator.unit,
        indicator.definition,
        indicator.compute,
        registry=PLATFORM_REGISTRY,
    )
    _INDICATORS[indicator.key] = indicator
    return indicator


def get(key: str) -> PlatformIndicator:
    try:
        return _INDICATORS[key]
    except KeyError:
        raise ValueError(f"unknown platform indicator {key!r}") from None


def definitions() -> list[Definition]:
    """Every registered platform indicator, in registration order, with its translated label and definition."""
    return [
        Definition(item.key, str(item.label), str(item.definition), item.unit, item.year_kind)
        for item in _INDICATORS.values()
    ]


# --- the indicators -----------------------------------------------------------------------------------------


def _definition(text: str | Promise, source: str | Promise = "") -> str:
    parts = [str(text)]
    if source:
        parts.append(str(source))
    parts.append(str(_PLATFORM_NOTE))
    return " ".join(parts)


def _lazy_definition(text: Promise, source: Promise | str = "") -> str | Promise:
    return lazy(_definition, str)(text, source)


def _count(
    key: str, label: Promise, text: Promise, year_kind: str = REPORTING, *, monthly: str | None = None
) -> PlatformIndicator:
    return PlatformIndicator(
        key=key,
        label=label,
        definition=_lazy_definition(text),
        unit=COUNT,
        year_kind=year_kind,
        inputs=lambda year: [(key, year)],
        compute=lambda counts, year: counts.get((key, year)),
        monthly=monthly,
    )


_LAYER_SOURCE = _(
    "Layer model as defined by BIBB (https://bibb.de/de/4705.php): the dissolutions of the calendar year are "
    "split by the year their contract began (that year and the three before); each layer is divided by the "
    "contracts begun in its start year and the four rates are added. A start year with no contract begun and "
    "none dissolved adds 0."
)
_MARKET_SOURCE = _(
    "Built like BIBB's balance on 30 September (https://bibb.de/de/167216.php, https://bibb.de/de/5472.php) "
    "from the platform's counts of the reporting year (1 October to 30 September): new contracts, places "
    "still unfilled, applicants unplaced and applicants with an alternative."
)


def _balance(counts: Counts, year: int) -> indicators.MarketBalance:
    return indicators.MarketBalance(
        new_contracts=counts.get(("contracts_new", year)),
        unfilled_places=counts.get(("places_unfilled", year)),
        unplaced_applicants=counts.get(("applicants_unplaced", year)),
        applicants_with_alternative=counts.get(("applicants_alternative", year)),
        non_company_contracts=0,  # the platform's contracts are all company contracts
    )


_BALANCE_MEASURES = ("contracts_new", "places_unfilled", "applicants_unplaced", "applicants_alternative")


def _market(
    key: str, label: Promise, text: Promise, unit: str, function: Callable[[indicators.MarketBalance], Value]
) -> PlatformIndicator:
    return PlatformIndicator(
        key=key,
        label=label,
        definition=_lazy_definition(text, _MARKET_SOURCE),
        unit=unit,
        year_kind=REPORTING,
        inputs=lambda year: [(measure, year) for measure in _BALANCE_MEASURES],
        compute=lambda counts, year: function(_balance(counts, year)),
    )


def _layer_inputs(year: int) -> list[tuple[str, int]]:
    wanted = [("contracts_begun", year - k) for k in range(indicators.LAYERS)]
    for k in range(indicators.LAYERS):
        wanted += [(f"dissolutions_layer_{k}", year), (f"dissolutions_probation_layer_{k}", year)]
    return wanted


RAW = ":raw"  # suffix of the unsuppressed layer counts kept for the rate (never shown)


def _layer_counts(counts: Counts, year: int, part: str) -> dict[int, int]:
    """Dissolutions of calendar year ``year`` by start year, unsuppressed: all, in probation, or later."""
    result: dict[int, int] = {}
    for k in range(indicators.LAYERS):
        total = counts.get((f"dissolutions_layer_{k}{RAW}", year)) or 0
        probation = counts.get((f"dissolutions_probation_layer_{k}{RAW}", year)) or 0
        result[year - k] = {"total": total, "probation": probation}.get(part, total - probation)
    return result


def _layer_rate(part: str) -> Callable[[Counts, int], Value]:
    """The layer-model rate (all, in probation, later). The layers are never shown, so a layer of one or two
    dissolutions may enter the sum; what must not be small is what the page can show or imply: the
    dissolutions of the part in all (and, for the probation split, both parts, since the page shows both and
    the rate in all: later = all − probation), and every start year's begun contracts that a layer divides by."""

    def compute(counts: Counts, year: int) -> Value:
        begun = {year - k: counts.get(("contracts_begun", year - k)) for k in range(indicators.LAYERS)}
        if not any(begun.values()):
            return None
        parts = ["total"] if part == "total" else ["probation", "later"]
        for each in parts:
            if indicators.suppress_count(sum(_layer_counts(counts, year, each).values())) is None:
                return None
        dissolved = _layer_counts(counts, year, part)
        rate = 0.0
        for start in begun:
            if not begun[start] and dissolved[start] == 0:
                continue  # nothing begun (or too few to show), nothing dissolved: the layer adds 0
            layer = indicators.percent(dissolved[start], begun[start])
            if layer is None:
                return None
            rate += layer
        return rate

    return compute


def _share(
    key: str,
    label: Promise,
    text: Promise,
    part: str,
    whole: str,
    *,
    unit: str = PERCENT,
    year_kind: str = REPORTING,
    source: Promise | str = "",
) -> PlatformIndicator:
    return PlatformIndicator(
        key=key,
        label=label,
        definition=_lazy_definition(text, source),
        unit=unit,
        year_kind=year_kind,
        inputs=lambda year: [(part, year), (whole, year)],
        compute=lambda counts, year: indicators.percent(counts.get((part, year)), counts.get((whole, year))),
    )


DESTINATION_KINDS: dict[str, Promise] = {
    "training": _("Leavers into training (share)"),
    "further_school": _("Leavers into further school (share)"),
    "university": _("Leavers into university (share)"),
    "eq": _("Leavers into an Einstiegsqualifizierung (share)"),
    "transition_measure": _("Leavers into a transition measure (share)"),
    "work": _("Leavers into work (share)"),
    "voluntary_service": _("Leavers into voluntary service (share)"),
    "unknown": _("Leavers with unknown destination (share)"),
}

_COUNTS: list[PlatformIndicator] = [
    _count(
        "contracts_new",
        _("New training contracts"),
        _(
            "Contracts entered on the platform in the reporting year (1 October to 30 September) that still "
            "exist on 30 September, counted as BIBB counts new contracts (http://bibb.de/de/16620.php); the "
            "day of entry stands for the day of conclusion."
        ),
    ),
    _count(
        "contracts_concluded",
        _("Contracts entered"),
        _(
            "Contracts entered on the platform in the reporting year (1 October to 30 September), dissolved "
            "later or not; the monthly series of new contracts."
        ),
        monthly="contracts_concluded",
    ),
    _count(
        "offers_published",
        _("Offers published"),
        _("Training offers entered on the platform and first published in the reporting year."),
        monthly="offers_published",
    ),
    _count(
        "places_offered",
        _("Places offered"),
        _("The training places of the offers first published on the platform in the reporting year."),
        monthly="places_offered",
    ),
    _count(
        "places_filled",
        _("Places filled"),
        _("Places of those offers taken through applications accepted on the platform."),
        monthly="places_filled",
    ),
    _count(
        "places_unfilled",
        _("Places unfilled"),
        _(
            "Places not taken of offers published or paused now whose training starts in the reporting year "
            "(the BA counts its registered places still unfilled on 30 September, "
            "https://bibb.de/de/167216.php; ours are those still open today)."
        ),
    ),
    _count(
        "applicants",
        _("Applicants"),
        _("People who sent at least one application on the platform in the reporting year."),
        monthly="applicants",
    ),
    _count(
        "applicants_placed",
        _("Applicants placed"),
        _("Applicants with an application of the year accepted or turned into a contract."),
        monthly="applicants_placed",
    ),
    _count(
        "applicants_searching",
        _("Applicants still searching"),
        _("Applicants with no application accepted and at least one still open."),
        monthly="applicants_searching",
    ),
    _count(
        "applicants_unplaced",
        _("Applicants unplaced"),
        _(
            "Applicants with no application accepted and none open (the BA's unplaced applicants are "
            "registered applicants without a place or an alternative on 30 September, "
            "https://bibb.de/de/54184.php)."
        ),
        monthly="applicants_unplaced",
    ),
    _count(
        "applicants_alternative",
        _("Applicants with an alternative"),
        _(
            "Applicants still searching who have an alternative recorded as their destination (school, "
            "university, EQ, transition measure, work, voluntary service)."
        ),
        monthly="applicants_alternative",
    ),
    _count(
        "leavers",
        _("School leavers"),
        _("School leavers recorded on the platform, by the reporting year of the day they left school."),
        monthly="leavers",
    ),
    _count(
        "clearing_placed",
        _("Placed in clearing rounds"),
        _(
            "Applicants assigned a place in a published clearing round (Nachvermittlung) of the reporting year."
        ),
        monthly="clearing_placed",
    ),
    PlatformIndicator(
        key="dissolutions",
        label=_("Contract dissolutions"),
        definition=_lazy_definition(
            _(
                "Platform contracts dissolved in the calendar year (BBiG § 22) that had begun in that year or "
                "the three before (the layers of BIBB's layer model, https://bibb.de/de/4705.php)."
            )
        ),
        unit=COUNT,
        year_kind=CALENDAR,
        inputs=lambda year: [(f"dissolutions_layer_{k}", year) for k in range(indicators.LAYERS)],
        compute=lambda counts, year: counts.get(("dissolutions", year)),
        monthly="dissolutions",
    ),
]

_MARKET: list[PlatformIndicator] = [
    _market(
        "supply",
        _("Supply of places (platform)"),
        _("New contracts plus places still unfilled."),
        COUNT,
        indicators.supply,
    ),
    _market(
        "demand_traditional",
        _("Demand, traditional (platform)"),
        _("New contracts plus applicants unplaced."),
        COUNT,
        indicators.demand_traditional,
    ),
    _market(
        "demand_extended",
        _("Demand, extended (platform)"),
        _("Traditional demand plus applicants with an alternative who are still searching."),
        COUNT,
        indicators.demand_extended,
    ),
    _market(
        "anr_traditional",
        _("Supply-demand ratio (ANR, platform)"),
        _("Supply per 100 demanders of the traditional demand."),
        PER100,
        indicators.supply_demand_ratio_traditional,
    ),
    _market(
        "anr_extended",
        _("Extended supply-demand ratio (eANR, platform)"),
        _("Supply per 100 demanders of the extended demand."),
        PER100,
        indicators.supply_demand_ratio_extended,
    ),
    _market(
        "unfilled_share",
        _("Filling problems (platform)"),
        _("Places still unfilled as a percentage of the supply (Besetzungsprobleme)."),
        PERCENT,
        indicators.unfilled_share,
    ),
    _market(
        "still_searching_share",
        _("Supply problems (platform)"),
        _(
            "Applicants unplaced or with an alternative as a percentage of the extended demand "
            "(Versorgungsprobleme)."
        ),
        PERCENT,
        indicators.still_searching_share,
    ),
    _market(
        "mismatch_index",
        _("Matching problems (platform)"),
        _(
            "The product of the two percentages above, without further scaling (Passungsprobleme; 0 when "
            "either problem is absent, at most 10,000)."
        ),
        INDEX,
        indicators.mismatch_index,
    ),
]

_DISSOLUTION_RATES: list[PlatformIndicator] = [
    PlatformIndicator(
        key=key,
        label=label,
        definition=_lazy_definition(text, _LAYER_SOURCE),
        unit=PERCENT,
        year_kind=CALENDAR,
        inputs=_layer_inputs,
        compute=_layer_rate(part),
    )
    for key, label, text, part in [
        (
            "dissolution_rate",
            _("Dissolution rate (platform)"),
            _("Share of the platform's begun contracts dissolved before their end, in percent."),
            "total",
        ),
        (
            "dissolution_rate_probation",
            _("Dissolution rate in the probation period (platform)"),
            _(
                "The dissolution rate counting only dissolutions on or before the last day of the probation "
                "period (BBiG § 20)."
            ),
            "probation",
        ),
        (
            "dissolution_rate_later",
            _("Dissolution rate after the probation period (platform)"),
            _("The dissolution rate counting only dissolutions after the probation period (BBiG § 20)."),
            "later",
        ),
    ]
]

_REENTRY: list[PlatformIndicator] = [
    _share(
        f"reentry_{months}",
        label,
        _(
            "Of the platform's contracts dissolved in the calendar year whose window has passed, the share "
            "whose apprentice began another training contract on the platform within the window after the "
            "dissolution. No official counterpart (BIBB: a dissolution is often no drop-out, "
            "https://bibb.de/de/4705.php)."
        ),
        f"reentry_{months}",
        f"reentry_base_{months}",
        year_kind=CALENDAR,
    )
    for months, label in [
        (3, _("Re-entry within 3 months")),
        (6, _("Re-entry within 6 months")),
        (12, _("Re-entry within 12 months")),
    ]
]

_DESTINATIONS: list[PlatformIndicator] = [
    _share(
        "leavers_secured_share",
        _("Leavers with a secured next step"),
        _(
            "School leavers of the reporting year with a known next step (any recorded destination other than "
            "unknown; training only with a signed platform contract) as a percentage of all leavers, the aim "
            "of NRW's “Kein Abschluss ohne Anschluss”."
        ),
        "leavers_secured",
        "leavers",
    ),
    *(
        _share(
            f"leavers_{kind}_share",
            label,
            _(
                "School leavers of the reporting year by their recorded destination, as a percentage of all leavers."
            ),
            f"leavers_{kind}",
            "leavers",
        )
        for kind, label in DESTINATION_KINDS.items()
    ),
]

_PROCESS: list[PlatformIndicator] = [
    _share(
        "record_completeness",
        _("Record book completeness"),
        _(
            "Record weeks handed in (submitted or signed) as a percentage of the weeks due, by the reporting "
            "year of each week's Monday (Ausbildungsnachweis, BBiG § 13 Satz 2 Nr. 7)."
        ),
        "record_weeks_submitted",
        "record_weeks_due",
    ),
    _share(
        "record_signed_share",
        _("Record weeks signed"),
        _("Record weeks signed by the trainer as a percentage of the weeks due (BBiG § 14 Abs. 2)."),
        "record_weeks_signed",
        "record_weeks_due",
    ),
    _share(
        "worktime_findings_per_100_weeks",
        _("Working-time findings per 100 record weeks"),
        _("Working-time findings in the record books (JArbSchG, ArbZG) per 100 record weeks due."),
        "worktime_findings",
        "record_weeks_due",
        unit=PER100,
    ),
    _share(
        "clearing_placement_rate",
        _("Clearing placement rate"),
        _("Applicants placed in published clearing rounds as a percentage of the applicants taking part."),
        "clearing_placed",
        "clearing_participants",
    ),
]

for _indicator in (*_COUNTS, *_MARKET, *_DISSOLUTION_RATES, *_REENTRY, *_DESTINATIONS, *_PROCESS):
    register(_indicator)

KEY_FIGURES: tuple[str, ...] = (
    "contracts_new",
    "offers_published",
    "applicants",
    "applicants_placed",
    "anr_extended",
    "dissolution_rate",
    "leavers_secured_share",
    "record_completeness",
)


# --- years ------------------------------------------------------------------------------------------------------


def latest_complete_year(today: datetime.date | None = None) -> int:
    """The last reporting year (1 October Y−1 – 30 September Y) that has ended by ``today``."""
    today = today or timezone.localdate()
    return today.year if today.month >= 10 else today.year - 1


# --- reading and suppressing the counts ----------------------------------------------------------------------


def _measures_by_month_only(
    scope: cube.Scope, measures: set[str], source: str | None
) -> dict[tuple[str, int], int]:
    """Whole-year counts of the measures kept only by month (summed by the reporting year of each month);
    none for an occupation or a chamber kind, whose months the cube does not keep."""
    if not measures or scope.occupation_id is not None or scope.responsibility:
        return {}
    result: dict[tuple[str, int], int] = {}
    for (measure, month), count in cube.series(scope, sorted(measures), source=source).items():
        key = (measure, indicators.reporting_year(month))
        result[key] = result.get(key, 0) + count
    return result


_MONTHLY_ONLY = {"contracts_concluded"}


def _counts(
    scope: cube.Scope, items: Sequence[PlatformIndicator], years: Sequence[int], source: str | None
) -> dict[tuple[str, int], int | None]:
    """The suppressed counts the indicators read for those years (absent: 0), plus the sum of the layers
    (``("dissolutions", year)``), itself suppressed as one count. A measure kept only by month is absent for
    an occupation or a chamber kind, so its indicator is ``None`` there."""
    wanted = sorted({key for item in items for year in years for key in item.inputs(year)})
    measures = sorted({measure for measure, _year in wanted})
    raw = dict(cube.totals(scope, measures, sorted({year for _m, year in wanted}), source=source))
    by_month = _measures_by_month_only(scope, {m for m in measures if m in _MONTHLY_ONLY}, source)
    raw.update(by_month)
    counts = {
        key: indicators.suppress_count(raw.get(key, 0))
        for key in wanted
        if key[0] not in _MONTHLY_ONLY or key in by_month or not (scope.occupation_id or scope.responsibility)
    }
    for year in {year for _measure, year in wanted}:
        layers = [raw.get((f"dissolutions_layer_{k}", year), 0) for k in range(indicators.LAYERS)]
        counts[("dissolutions", year)] = indicators.suppress_count(sum(layers))
        for measure, _year in wanted:
            if measure.startswith("dissolutions_") and "_layer_" in measure and _year == year:
                counts[(measure + RAW, year)] = raw.get((measure, year), 0)
    return counts


def _value(item: PlatformIndicator, counts: Counts, year: int) -> Value:
    if item.key in _MONTHLY_ONLY and (item.key, year) not in counts:
        return None
    return item.compute(counts, year)


def _trend(value: Value, previous: Value) -> str | None:
    if value is None or previous is None:
        return None
    if value == previous or abs(value - previous) < FLAT_TOLERANCE * abs(previous):
        return "flat"
    return "up" if value > previous else "down"


def _shown(unit: str, value: Value) -> str:
    return format_count(value) if unit == COUNT else format_ratio(value)


def figures(
    scope: cube.Scope, year: int, keys: Sequence[str] | None = None, *, source: str | None = None
) -> list[Figure]:
    """The figures ``keys`` (all registered: ``None``) of the scope for reporting year ``year``, with the year
    before and the trend. A figure counted by calendar year (dissolutions, re-entry) takes the last calendar
    year that had ended when the reporting year ended (30 September Y: calendar year Y−1), so a page never
    shows a calendar year still running beside a finished reporting year; ``Figure.year`` says which."""
    items = [get(key) for key in keys] if keys is not None else list(_INDICATORS.values())
    counts = _counts(scope, items, [year, year - 1, year - 2], source)
    result = []
    for item in items:
        shown_year = year - 1 if item.year_kind == "calendar" else year
        value, previous = _value(item, counts, shown_year), _value(item, counts, shown_year - 1)
        result.append(
            Figure(
                key=item.key,
                label=str(item.label),
                definition=str(item.definition),
                unit=item.unit,
                year=shown_year,
                year_kind=item.year_kind,
                value=value,
                shown=_shown(item.unit, value),
                previous=previous,
                trend=_trend(value, previous),
            )
        )
    return result


def yearly(
    scope: cube.Scope, key: str, years: Sequence[int], *, source: str | None = None
) -> dict[int, Value]:
    """One figure over several years: ``{year: value}`` (``None``: suppressed or not computable)."""
    item = get(key)
    counts = _counts(scope, [item], list(years), source)
    return {year: _value(item, counts, year) for year in years}


# --- breakdowns -------------------------------------------------------------------------------------------------


def _parts(scope: cube.Scope, by: str) -> list[str]:
    """Every Land or Kreis of the area (shown with 0 when nothing happened there); for chamber kinds every
    kind plus "" (facts without a chamber: never shown, but part of the total the others are checked against)."""
    if by == cube.RESPONSIBILITY:
        return [*Organisation.ChamberKind.values, ""]
    if by == cube.LAND:
        return list(Region.objects.filter(level=Region.Level.LAND).values_list("code", flat=True))
    if by == cube.KREIS:
        regions = Region.objects.filter(level=Region.Level.KREIS)
        if scope.level == cube.LAND:
            regions = regions.filter(code__startswith=scope.code)
        return list(regions.values_list("code", flat=True))
    return []


def breakdown(
    scope: cube.Scope, by: str, key: str, year: int, *, source: str | None = None
) -> dict[str, Value]:
    """A figure of the parts of an area: ``{part: value}`` with the part a Land code (``by="land"``), a Kreis
    ARS (``by="kreis"``), an occupation id as text (``by="occupation"``) or a chamber kind
    (``by="responsibility"``; the part "" holds what has no chamber and is never shown).

    Each count read is suppressed across the parts with ``indicators.suppress_line`` (the small ones, and
    more until the parent's total minus the shown parts gives no small one away); a part's rate is computed
    from those suppressed counts, so it is ``None`` when one of them is."""
    return breakdowns(scope, by, [key], year, source=source)[key]


def breakdowns(
    scope: cube.Scope, by: str, keys: Sequence[str], year: int, *, source: str | None = None
) -> dict[str, dict[str, Value]]:
    """:func:`breakdown` of several figures with one read of the cube: ``{key: {part: value}}``."""
    if scope.occupation_id is not None or scope.responsibility:
        raise ValueError("a breakdown is made of a whole area (no occupation or chamber kind)")
    items = [get(key) for key in keys]
    for item in items:
        if item.key in _MONTHLY_ONLY:
            raise ValueError(f"{item.key!r} has no breakdown (it is counted by month)")
    wanted_all = sorted({pair for item in items for pair in item.inputs(year)})
    measures = sorted({measure for measure, _year in wanted_all})
    years = sorted({y for _measure, y in wanted_all})
    rows = dict(cube.children(scope, by, measures, years, source=source))
    if by == cube.RESPONSIBILITY:
        # the part without a chamber is the area's total minus the chamber kinds
        totals = cube.totals(scope, measures, years, source=source)
        for (measure, y), n in totals.items():
            rest = n - sum(v for (part, m, yy), v in rows.items() if m == measure and yy == y)
            if rest:
                rows[("", measure, y)] = rest
    parts = sorted(set(_parts(scope, by)) | {part for part, _m, _y in rows})
    result: dict[str, dict[str, Value]] = {}
    for item in items:
        wanted = sorted(set(item.inputs(year)))
        item_rows = rows
        if item.key == "dissolutions":
            # the count shown is the sum of the layers: suppress that sum, not the layers
            wanted = [("dissolutions", year)]
            summed: dict[tuple[str, str, int], int] = {}
            for (part, measure, y), n in rows.items():
                if measure.startswith("dissolutions_layer_"):
                    summed[(part, "dissolutions", y)] = summed.get((part, "dissolutions", y), 0) + n
            item_rows = summed
        hidden: dict[tuple[str, int], set[str]] = {}
        for measure_year in wanted:
            line = {part: item_rows.get((part, *measure_year), 0) for part in parts}
            hidden[measure_year] = indicators.suppress_line(line) if line else set()
        values: dict[str, Value] = {}
        for part in parts:
            counts: dict[tuple[str, int], int | None] = {
                measure_year: None
                if part in hidden[measure_year]
                else item_rows.get((part, *measure_year), 0)
                for measure_year in wanted
            }
            for measure_year in wanted:  # the layer rates read the layers unsuppressed (`_layer_rate`)
                if "_layer_" in measure_year[0]:
                    counts[(measure_year[0] + RAW, measure_year[1])] = item_rows.get((part, *measure_year), 0)
            values[part] = _value(item, counts, year)
        result[item.key] = values
    return result


# --- monthly series ---------------------------------------------------------------------------------------------


def monthly_keys() -> list[str]:
    """The keys that have a monthly series."""
    return [item.key for item in _INDICATORS.values() if item.monthly]


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def monthly(
    scope: cube.Scope,
    key: str,
    *,
    months: int = 36,
    today: datetime.date | None = None,
    source: str | None = None,
) -> list[tuple[datetime.date, int | None]]:
    """The monthly counts of a count figure over the last ``months`` months up to today's, oldest first
    (first day of each month; a month without any count is 0; small counts ``None``)."""
    item = get(key)
    if item.monthly is None:
        raise ValueError(f"{key!r} has no monthly series")
    today = today or timezone.localdate()
    counts = cube.series(scope, [item.monthly], source=source)
    return [
        (month, indicators.suppress_count(counts.get((item.monthly, month), 0)))
        for month in (_month_start(today, back) for back in range(months - 1, -1, -1))
    ]
