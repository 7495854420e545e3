"""The monitoring indicators as pure functions: facts in (dataclasses, counts), numbers out.

No Django and nothing else of the platform is imported here, so the definitions can be tested on hand-made
data and reused by the pages, the exports, the API and the importer of official figures alike. Each function
states the official definition (BIBB / Bundesagentur für Arbeit) in its docstring, in our own words, with the
page it was read from; docs/domain.md ("Monitoring indicators") collects them.

Conventions:
- A rate whose denominator is zero, or whose inputs are suppressed (``None``), is ``None``, never an error.
- Rates are returned unrounded (floats); the page rounds to one decimal as BIBB does.
- Counts that are too small to publish are ``None`` after :func:`suppress_count`; every rate function accepts
  ``None`` for a count and then returns ``None`` ("a rate from a suppressed count is suppressed too").

Sections: reporting year and the BIBB contract count · supply and demand · dissolutions (layer model,
probation) · re-entry after a dissolution · small-cell suppression · the indicator registry.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Count = int | None  # None: suppressed (or unknown)

# ---------------------------------------------------------------------------------------------------------
# Reporting year and the BIBB count of new contracts
# ---------------------------------------------------------------------------------------------------------


def reporting_year(day: datetime.date) -> int:
    """The BIBB/BA reporting year (Berichtsjahr) a day belongs to.

    Berichtsjahr Y runs from 1 October of Y−1 to 30 September of Y, so 1 October 2023 – 30 September 2024 is
    reporting year 2024. Source: https://www.bibb.de/de/13826.php
    """
    return day.year + 1 if day.month >= 10 else day.year


def reporting_year_window(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day (both included) of reporting year ``year``: 1 October Y−1 and 30 September Y."""
    return datetime.date(year - 1, 10, 1), datetime.date(year, 9, 30)


@dataclass(frozen=True)
class ContractFacts:
    """What the indicators need of one training contract (no person in it).

    ``probation_end``: the last day of the probation period agreed in the contract (1 to 4 months from the
    start, BBiG § 20), as the platform's contract stores it; ``None`` if unknown.
    ``dissolved_on``: the day a dissolution (Kündigung or Aufhebungsvertrag) took effect, i.e. the last day
    the contract existed (as the platform's contract stores it), ``None`` if the contract was not dissolved;
    a contract that ended with the final exam is not dissolved.
    """

    concluded_on: datetime.date
    starts_on: datetime.date
    dissolved_on: datetime.date | None = None
    probation_end: datetime.date | None = None


def bibb_new_contracts(contracts: Iterable[ContractFacts], year: int) -> int:
    """Newly concluded training contracts of reporting year ``year``, counted as the BIBB survey counts them.

    BIBB counts contracts concluded between 1 October of the previous year and 30 September that still exist
    on 30 September: a contract dissolved again before that day is not counted. ``dissolved_on`` is the last
    day the contract existed (the platform's contract allows the start day itself), so a contract dissolved
    on 30 September still existed that day and counts. The training need not have started yet.
    Source: http://bibb.de/de/16620.php, https://www.bibb.de/de/13826.php
    """
    first, last = reporting_year_window(year)
    return sum(
        1
        for contract in contracts
        if first <= contract.concluded_on <= last
        and (contract.dissolved_on is None or contract.dissolved_on >= last)
    )


# ---------------------------------------------------------------------------------------------------------
# Supply and demand on 30 September (Angebot, Nachfrage, ANR, Passungsprobleme)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketBalance:
    """The training-market balance of a region on 30 September (all counts; ``None`` = suppressed/unknown).

    ``new_contracts``: BIBB count (:func:`bibb_new_contracts`); ``non_company_contracts``: the part of them
    that is predominantly publicly financed (außerbetrieblich); ``unfilled_places``: places registered with
    the BA still vacant on 30 September; ``unplaced_applicants``: registered applicants with no training
    place and no alternative (unversorgte Bewerber); ``applicants_with_alternative``: registered applicants in
    an alternative (school, internship, measure, job …) who still ask to be placed in training.
    """

    new_contracts: Count
    unfilled_places: Count
    unplaced_applicants: Count
    applicants_with_alternative: Count
    non_company_contracts: Count = 0


def _add(*counts: Count) -> Count:
    return None if any(count is None for count in counts) else sum(count for count in counts if count)


def percent(part: Count, whole: Count, per: int = 100) -> float | None:
    """``part`` per ``per`` of ``whole``; ``None`` when either is suppressed/unknown or ``whole`` is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return part * per / whole


def supply(balance: MarketBalance) -> Count:
    """Ausbildungsplatzangebot: new contracts (BIBB, to 30 September) plus the places registered with the BA
    that are still unfilled on 30 September. Source: https://bibb.de/de/167216.php"""
    return _add(balance.new_contracts, balance.unfilled_places)


def company_supply(balance: MarketBalance) -> Count:
    """Betriebliches Ausbildungsplatzangebot: the supply without the predominantly publicly financed
    (außerbetriebliche) contracts. Source: https://www.bundestag.de/presse/hib/kurzmeldungen-1126448"""
    total = supply(balance)
    if total is None or balance.non_company_contracts is None:
        return None
    return total - balance.non_company_contracts


def demand_traditional(balance: MarketBalance) -> Count:
    """Ausbildungsplatznachfrage, traditional definition: new contracts plus the registered applicants who
    are unplaced and have no alternative on 30 September. Source: https://bibb.de/de/54184.php"""
    return _add(balance.new_contracts, balance.unplaced_applicants)


def demand_extended(balance: MarketBalance) -> Count:
    """Ausbildungsplatznachfrage, extended definition: the traditional demand plus the registered applicants
    who are in an alternative on 30 September but still want to be placed in training.
    Source: https://bibb.de/de/167216.php"""
    return _add(demand_traditional(balance), balance.applicants_with_alternative)


def still_searching(balance: MarketBalance) -> Count:
    """Applicants still searching on 30 September: unplaced ones plus those with an alternative who keep
    their placement request. Source: https://www.ueberaus.de/wws/bibb-datenreport-2025-erschienen.php"""
    return _add(balance.unplaced_applicants, balance.applicants_with_alternative)


def supply_demand_ratio_traditional(balance: MarketBalance) -> float | None:
    """Angebots-Nachfrage-Relation (ANR), traditional: supply per 100 demanders of the traditional demand;
    above 100 means more places than demanders. Source: https://bibb.de/de/5472.php"""
    return percent(supply(balance), demand_traditional(balance))


def supply_demand_ratio_extended(balance: MarketBalance) -> float | None:
    """Erweiterte Angebots-Nachfrage-Relation (eANR): supply per 100 demanders of the extended demand.
    Source: https://bibb.de/de/5472.php, https://bibb.de/de/6772.php"""
    return percent(supply(balance), demand_extended(balance))


def unfilled_share(balance: MarketBalance) -> float | None:
    """Besetzungsprobleme: unfilled places as a percentage of the company-based supply (BIBB relates them to
    the betriebliches Angebot, not to the whole supply: DE 2024 69,400 / 542,800 = 12.8 %).
    Source: https://bibb.de/de/167216.php"""
    return percent(balance.unfilled_places, company_supply(balance))


def still_searching_share(balance: MarketBalance) -> float | None:
    """Versorgungsprobleme: still-searching applicants (unplaced + with an alternative and a placement
    request) as a percentage of the extended demand. Source: https://bibb.de/de/167216.php"""
    return percent(still_searching(balance), demand_extended(balance))


def mismatch_index(balance: MarketBalance) -> float | None:
    """Passungsprobleme: the product of the two problem shares, each taken in percent, with no further
    scaling (DE 2024: 12.79 % × 12.64 % → 161.6). BIBB describes the two shares as its "Passungs" rates; the scaling of
    their product is not stated on the pages we read, so we fix it here as percent × percent: 0 when either
    problem is absent, 10,000 at most. Source: https://bibb.de/de/167216.php"""
    filling, searching = unfilled_share(balance), still_searching_share(balance)
    if filling is None or searching is None:
        return None
    return filling * searching


# ---------------------------------------------------------------------------------------------------------
# Dissolutions: the BIBB layer model (Schichtenmodell) and the probation period
# ---------------------------------------------------------------------------------------------------------

LAYERS = 4  # the reporting year and the three before it


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb), as
    the platform's contract dates are computed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def dissolved_in_probation(contract: ContractFacts) -> bool | None:
    """Whether the contract was dissolved during its probation period (Probezeit, BBiG § 20: at least one
    and at most four months from the start, as the contract states; the platform checks that range when the
    contract is made): dissolved on or before ``probation_end``. ``False`` if not dissolved, ``None`` if
    the end of the probation period is not known."""
    if contract.dissolved_on is None:
        return False
    if contract.probation_end is None:
        return None
    return contract.dissolved_on <= contract.probation_end


def layer_rates(
    dissolutions_by_start_year: Mapping[int, Count],
    new_contracts_by_start_year: Mapping[int, Count],
    year: int,
) -> dict[int, float | None]:
    """The four partial rates of the layer model for calendar year ``year``, keyed by start year
    (Y, Y−1, Y−2, Y−3): the dissolutions of year Y of contracts begun in that start year, per 100 new
    contracts of that start year. A missing or zero denominator gives ``None`` for that layer."""
    return {
        start: percent(dissolutions_by_start_year.get(start, 0), new_contracts_by_start_year.get(start))
        for start in range(year, year - LAYERS, -1)
    }


def dissolution_rate(
    dissolutions_by_start_year: Mapping[int, Count],
    new_contracts_by_start_year: Mapping[int, Count],
    year: int,
) -> float | None:
    """Vertragslösungsquote (BIBB, Schichtenmodell) of calendar year ``year``, in percent.

    The share of begun contracts that are dissolved before the agreed end. The dissolutions of year Y are
    split by the year their contract began; each layer (begun in Y, Y−1, Y−2, Y−3) is divided by the new
    contracts of its start year, and the four partial rates are added. Dissolutions of contracts begun
    before Y−3 fall in no layer. ``None`` when a layer cannot be computed (no new contracts known for a start
    year, or a suppressed count). Source: https://bibb.de/de/4705.php,
    https://www.destatis.de/DE/Mediathek/Digitales-Magazin/Bildung/Glossar/vertragsloesungsquote.html
    """
    rates = layer_rates(dissolutions_by_start_year, new_contracts_by_start_year, year)
    if any(rate is None for rate in rates.values()):
        return None
    return sum(rate for rate in rates.values() if rate is not None)


@dataclass(frozen=True)
class DissolutionRates:
    """The layer-model rate of a year, in all and split into dissolutions in / after the probation period;
    ``total == in_probation + after_probation`` when the probation end of every dissolved contract is known
    (a dissolution whose probation end is unknown counts in ``total`` only)."""

    total: float | None
    in_probation: float | None
    after_probation: float | None


def dissolution_rates_from_contracts(contracts: Iterable[ContractFacts], year: int) -> DissolutionRates:
    """:func:`dissolution_rate` computed from contract facts, split by probation (BBiG § 20).

    The new contracts of a start year are the contracts that began in that calendar year (dissolved later
    or not); a dissolution counts in the calendar year it took effect. A contract dissolved before the
    training began counts neither as begun nor as dissolved (the official statistics do not record such
    dissolutions either). "In probation": :func:`dissolved_in_probation`. For a year not yet over, pass only
    the contracts begun by today, or a contract due to start later that year counts as begun."""
    begun: dict[int, int] = defaultdict(int)
    dissolved: dict[str, dict[int, int]] = {
        "total": defaultdict(int),
        "in": defaultdict(int),
        "after": defaultdict(int),
    }
    for contract in contracts:
        when = contract.dissolved_on
        if when is not None and when < contract.starts_on:
            continue  # dissolved before the training began: never begun, no dissolution
        begun[contract.starts_on.year] += 1
        if when is None or when.year != year:
            continue
        dissolved["total"][contract.starts_on.year] += 1
        in_probation = dissolved_in_probation(contract)
        if in_probation is not None:
            dissolved["in" if in_probation else "after"][contract.starts_on.year] += 1
    return DissolutionRates(
        total=dissolution_rate(dissolved["total"], begun, year),
        in_probation=dissolution_rate(dissolved["in"], begun, year),
        after_probation=dissolution_rate(dissolved["after"], begun, year),
    )


# ---------------------------------------------------------------------------------------------------------
# Re-entry after a dissolution (what the official statistics cannot know)
# ---------------------------------------------------------------------------------------------------------

REENTRY_WINDOWS = (3, 6, 12)  # months


@dataclass(frozen=True)
class DissolutionFollowUp:
    """One dissolution and the start of the same apprentice's next training contract (``None``: none)."""

    dissolved_on: datetime.date
    next_starts_on: datetime.date | None


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` with its percentage (``None`` when ``whole`` is 0)."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return percent(self.part, self.whole)


def reentry_share(followups: Iterable[DissolutionFollowUp], *, months: int, as_of: datetime.date) -> Share:
    """Of the apprentices whose contract was dissolved, the share who began another training contract
    within ``months`` months of the dissolution (a start on or before the dissolution day plus ``months``
    months; a next contract that began before the dissolution took effect counts as seamless).

    Only dissolutions whose whole window has passed by ``as_of`` are counted, so that recent dissolutions
    (whose apprentices may still find a place) do not lower the share. A platform indicator with no official
    counterpart; BIBB notes that a dissolution is often no drop-out (https://bibb.de/de/4705.php)."""
    part = whole = 0
    for followup in followups:
        deadline = add_months(followup.dissolved_on, months)
        if deadline > as_of:
            continue
        whole += 1
        if followup.next_starts_on is not None and followup.next_starts_on <= deadline:
            part += 1
    return Share(part=part, whole=whole)


def reentry_shares(
    followups: Iterable[DissolutionFollowUp],
    *,
    as_of: datetime.date,
    windows: Sequence[int] = REENTRY_WINDOWS,
) -> dict[int, Share]:
    """:func:`reentry_share` for each window (3, 6 and 12 months by default)."""
    facts = list(followups)
    return {months: reentry_share(facts, months=months, as_of=as_of) for months in windows}


# ---------------------------------------------------------------------------------------------------------
# Small-cell suppression
# ---------------------------------------------------------------------------------------------------------

# The smallest count we publish. BIBB rounds Land-level absolute values to multiples of 3 for data protection
# (http://bibb.de/de/16620.php), i.e. it never shows that one or two people are behind a figure; we hold the
# platform's figures, which are far finer (Kreis × occupation × month), to the same line: counts of 1 and 2
# are shown as "–". 0 is shown: it names nobody.
MINIMUM_COUNT = 3

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def is_small(count: int, minimum: int = MINIMUM_COUNT) -> bool:
    """Whether a count must be suppressed: more than 0 and less than ``minimum``."""
    return 0 < count < minimum


def suppress_count(count: Count, minimum: int = MINIMUM_COUNT) -> Count:
    """The count as it may be published: ``None`` ("–") when it is small (:func:`is_small`)."""
    return None if count is None or is_small(count, minimum) else count


def suppressed_percent(
    part: Count, whole: Count, minimum: int = MINIMUM_COUNT, per: int = 100
) -> float | None:
    """A rate computed only from publishable counts: ``None`` if the part or the whole is suppressed."""
    return percent(suppress_count(part, minimum), suppress_count(whole, minimum), per)


def _too_narrow(hidden_values: Sequence[int], minimum: int) -> bool:
    """Whether hidden cells with a known sum (a line's total minus its shown cells) give a small one away:
    a single hidden cell is the sum itself; and if the sum is below ``minimum``, every hidden cell is known
    to be small (two hidden cells summing to 2 are 1 + 1 or 2 + 0)."""
    return len(hidden_values) == 1 or sum(hidden_values) < minimum


def _complement(visible: Iterable[K], values: Mapping[K, int], hidden_count: int) -> K | None:
    """The cell to hide next: the smallest non-zero one (hiding a 0 adds nothing to the hidden sum); a 0
    only if there is nothing else and a single cell is hidden so far (so that it is not the total itself)."""
    keys = list(visible)
    nonzero = [key for key in keys if values[key] != 0]
    candidates = nonzero or (keys if hidden_count == 1 else [])
    return min(candidates, key=lambda key: (values[key], str(key)), default=None)


def suppress_balance(balance: MarketBalance, minimum: int = MINIMUM_COUNT) -> MarketBalance:
    """The balance with each of its counts passed through :func:`suppress_count`, so that every figure
    computed from it (supply, demand, ratios, shares) is suppressed when a count it uses is."""
    return MarketBalance(
        new_contracts=suppress_count(balance.new_contracts, minimum),
        unfilled_places=suppress_count(balance.unfilled_places, minimum),
        unplaced_applicants=suppress_count(balance.unplaced_applicants, minimum),
        applicants_with_alternative=suppress_count(balance.applicants_with_alternative, minimum),
        non_company_contracts=suppress_count(balance.non_company_contracts, minimum),
    )


def suppress_line(values: Mapping[K, int], minimum: int = MINIMUM_COUNT) -> set[K]:
    """Keys to suppress in a one-dimensional list of counts published with its total.

    The small counts (:func:`is_small`), and then the smallest other non-zero counts until the total minus
    the shown counts no longer gives a small count away (:func:`_too_narrow`): a single hidden count would
    be the total minus the others; two hidden counts summing to 2 are both known to be small."""
    hidden = {key for key, value in values.items() if is_small(value, minimum)}
    while hidden and _too_narrow([values[key] for key in hidden], minimum):
        extra = _complement((key for key in values if key not in hidden), values, len(hidden))
        if extra is None:
            break
        hidden.add(extra)
    return hidden


def suppress_table(cells: Mapping[tuple[R, C], int], minimum: int = MINIMUM_COUNT) -> set[tuple[R, C]]:
    """Cells to suppress in a table published with its row, column and grand totals (the totals are exact).

    Primary suppression: every small cell (:func:`is_small`). Complementary suppression: more cells are
    hidden until no hidden cell can be worked out from the totals. Seen as a graph whose nodes are the rows
    and columns and whose edges are the hidden cells, the totals fix a hidden cell exactly when its edge lies
    on no cycle (a row or column with one hidden cell is the simplest case); a cell on a cycle can be moved
    up and down around the cycle without changing any total. So while a hidden cell lies on no cycle we hide
    one more: the smallest non-zero visible cell that closes a cycle through it, or, if there is none, one
    in its line that leads towards one (zero cells last). A table of a single row or column has no cycles:
    use :func:`suppress_line`.

    Before that, and as in :func:`suppress_line`, each row and column with a small cell must hide enough
    that its total minus its shown cells does not give the small cell away (:func:`_too_narrow`), so no
    line's hidden cells are, say, two 1s summing to 2. (A line hidden whole can only be protected by its
    total: pass the totals through :func:`suppress_count` too; a total of 1 or 2 is then hidden.) This guards against exact recovery from the totals and against a hidden cell
    being known to be small from a single line; it does not solve the linear programme of all totals at once
    (bounds combined across several lines), which tables of our size make very unlikely to be tight."""
    rows = {row for row, _ in cells}
    columns = {column for _, column in cells}
    if len(rows) < 2 or len(columns) < 2:
        raise ValueError("suppress_table needs at least two rows and two columns; use suppress_line")
    hidden = {key for key, value in cells.items() if is_small(value, minimum)}
    while True:
        extra = _narrow_line_complement(hidden, cells, minimum)
        if extra is not None:
            hidden.add(extra)
            continue
        bridge = _first_bridge(hidden)
        if bridge is None:
            return hidden
        row, column = bridge
        rest = hidden - {bridge}
        row_side = _component(rest, ("row", row))
        column_side = _component(rest, ("column", column))

        def crosses(
            key: tuple[R, C], row_side: set[Node] = row_side, column_side: set[Node] = column_side
        ) -> bool:
            ends = {("row", key[0]), ("column", key[1])}
            return bool(ends & row_side) and bool(ends & column_side)

        visible = [key for key in cells if key not in hidden]
        # Best: a cell joining the two sides, which closes a cycle through the bridge at once.
        candidates = [key for key in visible if crosses(key)]
        if not candidates:
            # Otherwise grow the smaller side by a cell in the line of its end of the bridge.
            lines: list[Node] = []
            if len(row_side) <= len(column_side):
                lines.append(("row", row))
            if len(column_side) <= len(row_side):
                lines.append(("column", column))
            candidates = [key for key in visible if _in_lines(key, lines)]
        if not candidates:
            candidates = [
                key for key in visible if _in_lines(key, [("row", row), ("column", column)])
            ] or visible
        extra = min(candidates, key=lambda key: (cells[key] == 0, cells[key], str(key)), default=None)
        if extra is None:
            return hidden
        hidden.add(extra)


Node = tuple[str, Hashable]


def _narrow_line_complement(
    hidden: set[tuple[R, C]], cells: Mapping[tuple[R, C], int], minimum: int
) -> tuple[R, C] | None:
    """The next cell to hide in a row or column whose total gives its small hidden cell away
    (:func:`_too_narrow`); ``None`` when no such line can take one more."""
    lines: dict[Node, list[int]] = defaultdict(list)
    for key in hidden:
        lines[("row", key[0])].append(cells[key])
        lines[("column", key[1])].append(cells[key])
    for line, values in sorted(lines.items(), key=lambda item: str(item[0])):
        if any(is_small(value, minimum) for value in values) and _too_narrow(values, minimum):
            visible = (key for key in cells if key not in hidden and _in_lines(key, [line]))
            extra = _complement(visible, cells, len(values))
            if extra is not None:
                return extra
    return None


def _in_lines(key: tuple[R, C], lines: list[Node]) -> bool:
    return ("row", key[0]) in lines or ("column", key[1]) in lines


def _first_bridge(hidden: set[tuple[R, C]]) -> tuple[R, C] | None:
    """A hidden cell on no cycle of the graph of hidden cells (nodes: rows and columns; edges: cells)."""
    for cell in sorted(hidden, key=str):
        if ("column", cell[1]) not in _component(hidden - {cell}, ("row", cell[0])):
            return cell
    return None


def _component(edges: set[tuple[R, C]], start: Node) -> set[Node]:
    """The rows and columns reachable from ``start`` over the cells ``edges``."""
    neighbours: dict[Node, list[Node]] = defaultdict(list)
    for row, column in edges:
        neighbours[("row", row)].append(("column", column))
        neighbours[("column", column)].append(("row", row))
    seen, todo = {start}, [start]
    while todo:
        for following in neighbours[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


# ---------------------------------------------------------------------------------------------------------
# The registry: later apps add their indicators without changing this module
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator: a stable key (used in URLs, exports and the API), a label and a definition in words
    (``str`` or a lazy translation: the page renders ``str(label)``), its unit ("count", "percent", "per 100
    demanders", "index") and the function that computes it."""

    key: str
    label: object
    unit: str
    definition: object
    compute: Callable[..., float | int | None]


class IndicatorRegistry:
    """Indicators by key, in the order they were registered."""

    def __init__(self) -> None:
        self._indicators: dict[str, Indicator] = {}

    def register(self, indicator: Indicator) -> Indicator:
        if not indicator.key or indicator.key in self._indicators:
            raise ValueError(f"indicator key {indicator.key!r} is empty or registered already")
        self._indicators[indicator.key] = indicator
        return indicator

    def get(self, key: str) -> Indicator:
        return self._indicators[key]

    def __contains__(self, key: object) -> bool:
        return key in self._indicators

    def all(self) -> list[Indicator]:
        return list(self._indicators.values())


REGISTRY = IndicatorRegistry()


def register_indicator(
    key: str,
    label: object,
    unit: str,
    definition: object,
    compute: Callable[..., float | int | None],
    *,
    registry: IndicatorRegistry = REGISTRY,
) -> Indicator:
    """Add an indicator to the registry (the platform's one by default); a key can be registered once
    (``ValueError`` otherwise). Call it at import time of the app that owns the indicator, e.g. in its
    ``AppConfig.ready``."""
    return registry.register(
        Indicator(key=key, label=label, unit=unit, definition=definition, compute=compute)
    )


def get_indicator(key: str) -> Indicator:
    """The registered indicator ``key`` (``KeyError`` if none)."""
    return REGISTRY.get(key)


def registered_indicators() -> list[Indicator]:
    """All registered indicators, in registration order."""
    return REGISTRY.all()


_MARKET_INDICATORS: list[tuple[str, str, str, Callable[[MarketBalance], float | int | None]]] = [
    ("supply", "Supply of training places (Angebot)", "count", supply),
    ("demand_traditional", "Demand, traditional definition", "count", demand_traditional),
    ("demand_extended", "Demand, extended definition", "count", demand_extended),
    (
        "anr_traditional",
        "Supply-demand ratio (ANR), traditional",
        "per 100 demanders",
        supply_demand_ratio_traditional,
    ),
    (
        "anr_extended",
        "Supply-demand ratio (eANR), extended",
        "per 100 demanders",
        supply_demand_ratio_extended,
    ),
    ("unfilled_share", "Filling problems (Besetzungsprobleme)", "percent", unfilled_share),
    ("still_searching_share", "Supply problems (Versorgungsprobleme)", "percent", still_searching_share),
    ("mismatch_index", "Matching problems (Passungsprobleme)", "index", mismatch_index),
]

for _key, _label, _unit, _compute in _MARKET_INDICATORS:
    register_indicator(_key, _label, _unit, (_compute.__doc__ or "").strip(), _compute)
register_indicator(
    "dissolution_rate",
    "Contract dissolution rate (Vertragslösungsquote)",
    "percent",
    (dissolution_rate.__doc__ or "").strip(),
    dissolution_rate,
)
