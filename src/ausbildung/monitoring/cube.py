"""The monitoring cube (issue #19): the platform's own counts, rolled up for the pages.

**Facts.** Each focus area hands over its counts as plain tuples through a function of its public selectors
module (``core.market_facts``, ``offers.selectors.monitoring_*_facts``, …):

    (measure, year, month, kreis_code, occupation_id, responsibility, count)

at the finest grain: one Kreis, one occupation, one chamber kind (Zuständigkeitsbereich), one year, and for a
monthly series one month. A *provider* is such a function registered here with the measures it yields; a
later app (e.g. the campaigns of the "Sommer der Berufsausbildung") registers its own provider and
indicators and nothing in this module changes.

**Cells.** :func:`rollup` adds the facts up into the cells the pages read: for every area level (Kreis, its
Land, Germany) the whole year in all, per occupation and per chamber kind, and the monthly series in all. A
fact without a Kreis counts for Germany only.

**Two sources, one answer.** :func:`refresh` computes every fact of Germany, rolls them up and stores the
cells (`MarketCell`) in one transaction, noting the time (`CubeRefresh`; run every few minutes by cron:
``ausbildung monitoring refresh``). The reads (:func:`totals`, :func:`series`, :func:`children`) take
``source=CUBE`` (the stored cells: a handful of indexed rows per page) or ``source=LIVE`` (the same facts
computed from the raw tables of the region now, by plain ORM aggregation) and give the same numbers for the
same data; the benchmark compares the two and the tests prove they agree. Without any refresh yet the
pages read live, so a fresh installation shows figures at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ausbildung.core.models import Region

from .models import CubeRefresh, MarketCell

Fact = tuple[str, int, datetime.date | None, str, int | None, str, int]
# (measure, year, month, area_level, area_code, occupation_id (0: all), responsibility ("": all))
CellKey = tuple[str, int, datetime.date | None, str, str, int, str]

CUBE = "cube"
LIVE = "live"
DE, LAND, KREIS = "de", "land", "kreis"
RESPONSIBILITY = "responsibility"
ALL_OCCUPATIONS = 0


@dataclass(frozen=True)
class Provider:
    name: str
    measures: tuple[str, ...]
    compute: Callable[[Collection[str] | None], Iterable[Fact]]


_PROVIDERS: dict[str, Provider] = {}


def register_provider(
    name: str, measures: Sequence[str], compute: Callable[[Collection[str] | None], Iterable[Fact]]
) -> None:
    """Add a source of facts: ``compute(kreise)`` returns the facts of those Kreise (``None``: all of
    Germany, including facts without a Kreis). Registering a name again replaces it (app reloads)."""
    _PROVIDERS[name] = Provider(name, tuple(measures), compute)


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def measures() -> list[str]:
    return [measure for provider in _PROVIDERS.values() for measure in provider.measures]


# --- the scope of a page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a page shows: an area (``de``/"DE", ``land``/"10", ``kreis``/"10041"), optionally narrowed to one
    occupation or one chamber kind (never both: the cube does not keep that combination)."""

    level: str
    code: str
    occupation_id: int | None = None
    responsibility: str = ""

    def __post_init__(self) -> None:
        if self.level not in (DE, LAND, KREIS):
            raise ValueError(f"unknown area level {self.level!r}")
        if self.occupation_id is not None and self.responsibility:
            raise ValueError("a scope names an occupation or a chamber kind, not both")

    def kreise(self) -> list[str] | None:
        """The Kreise whose facts make up the area (``None``: Germany, all facts)."""
        if self.level == DE:
            return None
        if self.level == KREIS:
            return [self.code]
        return list(
            Region.objects.filter(level=Region.Level.KREIS, code__startswith=self.code).values_list(
                "code", flat=True
            )
        )


# --- roll-up --------------------------------------------------------------------------------------------------


def rollup(facts: Iterable[Fact]) -> dict[CellKey, int]:
    """The cells of the facts (see the module's docstring for which)."""
    cells: dict[CellKey, int] = defaultdict(int)
    for measure, year, month, kreis, occupation_id, responsibility, count in facts:
        if not count:
            continue
        areas = ((KREIS, kreis), (LAND, kreis[:2]), (DE, "DE")) if kreis else ((DE, "DE"),)
        for level, code in areas:
            cells[(measure, year, month, level, code, ALL_OCCUPATIONS, "")] += count
            if month is not None:
                continue
            if occupation_id:
                cells[(measure, year, None, level, code, occupation_id, "")] += count
            if responsibility:
                cells[(measure, year, None, level, code, ALL_OCCUPATIONS, responsibility)] += count
    return dict(cells)


def compute_facts(kreise: Collection[str] | None) -> list[Fact]:
    return [fact for provider in _PROVIDERS.values() for fact in provider.compute(kreise)]


# --- refresh ----------------------------------------------------------------------------------------------------

BATCH = 5000


def refresh() -> CubeRefresh:
    """Recompute every fact of Germany and replace the stored cells in one transaction (readers see the old
    cells until the new ones are complete)."""
    started = timezone.now()
    read = 0

    def facts() -> Iterable[Fact]:
        nonlocal read
        for provider in _PROVIDERS.values():  # one provider's facts in memory at a time
            for fact in provider.compute(None):
                read += 1
                yield fact

    cells = rollup(facts())
    with transaction.atomic():
        MarketCell.objects.all().delete()
        batch: list[MarketCell] = []
        for (measure, year, month, level, code, occupation_id, responsibility), count in cells.items():
            batch.append(
                MarketCell(
                    measure=measure,
                    year=year,
                    month=month,
                    area_level=level,
                    area_code=code,
                    occupation_id=occupation_id,
                    responsibility=responsibility,
                    count=count,
                )
            )
            if len(batch) >= BATCH:
                MarketCell.objects.bulk_create(batch)
                batch = []
        MarketCell.objects.bulk_create(batch)
        done = CubeRefresh.objects.create(
            started_at=started, finished_at=timezone.now(), facts=read, cells=len(cells)
        )
    if connection.vendor == "postgresql":
        # fresh statistics for the planner: with stale ones a page's read of 3 million new cells took
        # 0.5 s instead of 20 ms (measured at national scale)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {MarketCell._meta.db_table}")
    return done


def demo_refresh(organisations: object, users: object) -> None:
    """Demo loader (core.demo.register_demo): the demo's pages read a built cube."""
    refresh()


def last_refresh() -> CubeRefresh | None:
    return CubeRefresh.objects.order_by("-finished_at").first()


def _source(source: str | None) -> str:
    """``None``: the setting ``MONITORING_SOURCE`` when set (the benchmark renders the same page both ways),
    else the cube once it has been built, live before."""
    if source is None:
        source = getattr(settings, "MONITORING_SOURCE", None)
    if source is None:
        return CUBE if last_refresh() is not None else LIVE
    if source not in (CUBE, LIVE):
        raise ValueError(f"unknown source {source!r}")
    return source


# --- reads ------------------------------------------------------------------------------------------------------


def _live_cells(scope: Scope) -> dict[CellKey, int]:
    return rollup(compute_facts(scope.kreise()))


def totals(
    scope: Scope, measures: Sequence[str], years: Sequence[int] | None = None, *, source: str | None = None
) -> dict[tuple[str, int], int]:
    """Whole-year counts of the scope: ``{(measure, year): count}`` (absent: 0)."""
    occupation = scope.occupation_id or ALL_OCCUPATIONS
    if _source(source) == CUBE:
        rows = MarketCell.objects.filter(
            area_level=scope.level,
            area_code=scope.code,
            occupation_id=occupation,
            responsibility=scope.responsibility,
            measure__in=list(measures),
            month__isnull=True,
        )
        if years is not None:
            rows = rows.filter(year__in=list(years))
        return {(m, y): n for m, y, n in rows.values_list("measure", "year", "count")}
    wanted = set(measures)
    return {
        (m, y): n
        for (m, y, month, level, code, occ, resp), n in _live_cells(scope).items()
        if month is None
        and level == scope.level
        and code == scope.code
        and occ == occupation
        and resp == scope.responsibility
        and m in wanted
        and (years is None or y in years)
    }


def series(
    scope: Scope, measures: Sequence[str], *, source: str | None = None
) -> dict[tuple[str, datetime.date], int]:
    """Monthly counts of an area (all occupations, all chamber kinds): ``{(measure, month): count}``."""
    if scope.occupation_id is not None or scope.responsibility:
        raise ValueError("monthly series are kept for whole areas only")
    if _source(source) == CUBE:
        rows = MarketCell.objects.filter(
            area_level=scope.level,
            area_code=scope.code,
            occupation_id=ALL_OCCUPATIONS,
            responsibility="",
            measure__in=list(measures),
            month__isnull=False,
        ).values_list("measure", "month", "count")
        return {(m, month): n for m, month, n in rows if month is not None}
    wanted = set(measures)
    result: dict[tuple[str, datetime.date], int] = {}
    for (m, _y, month, level, code, _occ, _resp), n in _live_cells(scope).items():
        if month is not None and level == scope.level and code == scope.code and m in wanted:
            result[(m, month)] = n
    return result


def children(
    scope: Scope,
    by: str,
    measures: Sequence[str],
    years: Sequence[int] | None = None,
    *,
    source: str | None = None,
) -> dict[tuple[str, str, int], int]:
    """Whole-year counts of the parts of an area: ``{(part, measure, year): count}`` where the part is a Land
    code (``by="land"``, in Germany), a Kreis code (``by="kreis"``, in Germany or a Land) or an occupation id
    as text (``by="occupation"``, in any area) or a chamber kind (``by="responsibility"``, in any area: the
    Zuständigkeitsbereiche; facts without a chamber are in no part)."""
    if (by == LAND and scope.level != DE) or (by == KREIS and scope.level == KREIS):
        raise ValueError(f"a {scope.level} has no parts of level {by}")
    if by not in (LAND, KREIS, "occupation", RESPONSIBILITY):
        raise ValueError(f"unknown breakdown {by!r}")
    if _source(source) == CUBE and by == RESPONSIBILITY:
        cells = MarketCell.objects.filter(
            measure__in=list(measures),
            month__isnull=True,
            area_level=scope.level,
            area_code=scope.code,
            occupation_id=ALL_OCCUPATIONS,
        ).exclude(responsibility="")
        if years is not None:
            cells = cells.filter(year__in=list(years))
        return {
            (resp, m, y): n
            for resp, m, y, n in cells.values_list("responsibility", "measure", "year", "count")
        }
    if _source(source) == CUBE:
        rows = MarketCell.objects.filter(measure__in=list(measures), month__isnull=True, responsibility="")
        if years is not None:
            rows = rows.filter(year__in=list(years))
        if by == "occupation":
            rows = rows.filter(area_level=scope.level, area_code=scope.code, occupation_id__gt=0)
            return {
                (str(occ), m, y): n
                for occ, m, y, n in rows.values_list("occupation_id", "measure", "year", "count")
            }
        # The parts' codes named one by one: each is a seek in the cells' index (a prefix match is not, under
        # PostgreSQL's usual collations; measured: 1.3 s for the Kreise of Bayern at national scale).
        part_level = Region.Level.LAND if by == LAND else Region.Level.KREIS
        codes = Region.objects.filter(level=part_level)
        if scope.level == LAND:
            codes = codes.filter(code__startswith=scope.code)
        rows = rows.filter(
            area_level=by,
            occupation_id=ALL_OCCUPATIONS,
            area_code__in=list(codes.values_list("code", flat=True)),
        )
        return {
            (code, m, y): n for code, m, y, n in rows.values_list("area_code", "measure", "year", "count")
        }
    wanted = set(measures)
    result = {}
    for (m, y, month, level, code, occ, resp), n in _live_cells(scope).items():
        if month is not None or m not in wanted or (years is not None and y not in years):
            continue
        if by == RESPONSIBILITY:
            if level == scope.level and code == scope.code and not occ and resp:
                result[(resp, m, y)] = n
            continue
        if resp:
            continue
        if by == "occupation":
            if level == scope.level and code == scope.code and occ:
                result[(str(occ), m, y)] = n
        elif level == by and not occ and (scope.level == DE or code.startswith(scope.code)):
            result[(code, m, y)] = n
    return result
