"""Training contracts as grouped counts for the monitoring of the training market (issue #19).

The monitoring app (the top layer) aggregates facts of every area into its cube; an area hands them over as
plain tuples so that it never imports monitoring. Every function here returns

    (measure, year, month, kreis_code, occupation_id, responsibility, count)

- ``year``: the reporting year (Berichtsjahr: 1 October Y−1 to 30 September Y) or the calendar year, as the
  measure's definition below says; ``month``: the first day of the month for a monthly series, ``None`` for
  a count of the whole year;
- ``kreis_code``: the ARS of the Kreis of the contract's training site (the BIBB counts contracts where the
  training takes place); ``""`` when the site has no Kreis recorded, so such a contract still counts for
  Germany and is never dropped;
- ``occupation_id`` and ``responsibility`` (the kind of the competent chamber, Zuständigkeitsbereich:
  ``ihk``, ``hwk`` …).

Counting is done by the database (GROUP BY), one query per measure and year, never a loop over all contracts;
only the dissolved contracts are read one by one for the re-entry windows (a quarter of all contracts at
most). Draft contracts are no contracts yet and never count. Definitions: docs/domain.md, "Monitoring:
platform measures".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from .models import TrainingContract
from .services import add_months

Fact = tuple[str, int, datetime.date | None, str, int | None, str, int]

REENTRY_WINDOWS = (3, 6, 12)  # months
LAYERS = 4  # the BIBB layer model: the year of the dissolution and the three before it

KREIS = "site__region__code"
RESPONSIBILITY = "chamber__chamber_kind"


def _contracts(kreise: Collection[str] | None) -> QuerySet[TrainingContract]:
    contracts = TrainingContract.objects.exclude(status=TrainingContract.Status.DRAFT)
    if kreise is not None:
        contracts = contracts.filter(site__region__code__in=list(kreise))
    return contracts


def _key(row: dict) -> tuple[str, int | None, str]:
    return row[KREIS] or "", row["occupation_id"], row[RESPONSIBILITY] or ""


def reporting_year(day: datetime.date) -> int:
    """The reporting year (Berichtsjahr: 1 October Y−1 to 30 September Y) of a day."""
    return day.year + 1 if day.month >= 10 else day.year


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def new_contract_facts(kreise: Collection[str] | None, years: Collection[int]) -> list[Fact]:
    """``contracts_new`` (reporting year): contracts concluded in the reporting year and still in existence on
    30 September, the BIBB count of new contracts (http://bibb.de/de/16620.php). The day the contract was
    entered on the platform stands for the day it was concluded; a contract whose last day is 30 September
    still existed that day."""
    facts: list[Fact] = []
    for year in sorted(years):
        first, last = datetime.date(year - 1, 10, 1), datetime.date(year, 9, 30)
        rows = (
            _contracts(kreise)
            .filter(
                created_at__gte=_day_start(first), created_at__lt=_day_start(last + datetime.timedelta(1))
            )
            .exclude(dissolved_on__lt=last)
            .values(KREIS, "occupation_id", RESPONSIBILITY)
            .annotate(n=Count("id"))
        )
        facts += [("contracts_new", year, None, *_key(row), row["n"]) for row in rows]
    return facts


def _month(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def concluded_by_month_facts(kreise: Collection[str] | None) -> list[Fact]:
    """``contracts_concluded`` (monthly): contracts entered in the month (dissolved later or not). Monthly
    series are kept per area only (the cube keeps no month × occupation), so they are grouped by Kreis alone."""
    rows = (
        _contracts(kreise)
        .annotate(month=TruncMonth("created_at"))
        .values("month", KREIS)
        .annotate(n=Count("id"))
    )
    facts: list[Fact] = []
    for row in rows:
        month = _month(row["month"])
        year = reporting_year(month)
        facts.append(("contracts_concluded", year, month, row[KREIS] or "", None, "", row["n"]))
    return facts


def dissolution_facts(kreise: Collection[str] | None, *, today: datetime.date) -> list[Fact]:
    """The counts of the BIBB layer model (Schichtenmodell, https://bibb.de/de/4705.php), by calendar year:

    - ``contracts_begun`` (calendar year of the start): contracts whose training began that year, by today,
      and that were not dissolved before the start (a contract dissolved before it began counts neither as
      begun nor as dissolved, as in the official statistics);
    - ``dissolutions_layer_k`` (calendar year of the dissolution, k = 0…3): dissolutions that took effect in
      year Y of contracts begun in year Y−k; ``dissolutions_probation_layer_k``: those of them on or before
      the end of the probation period (Probezeit, BBiG § 20);
    - ``dissolutions`` and ``dissolutions_probation`` (monthly, by the month of the dissolution), all layers.
    """
    contracts = _contracts(kreise)
    facts: list[Fact] = []
    begun = (
        contracts.filter(start_date__lte=today)
        .exclude(dissolved_on__lt=F("start_date"))
        .annotate(start_year=ExtractYear("start_date"))
        .values("start_year", KREIS, "occupation_id", RESPONSIBILITY)
        .annotate(n=Count("id"))
    )
    facts += [("contracts_begun", row["start_year"], None, *_key(row), row["n"]) for row in begun]
    dissolved = contracts.filter(dissolved_on__isnull=False, dissolved_on__gte=F("start_date"))
    for in_probation in (False, True):
        selected = dissolved.filter(dissolved_on__lte=F("probation_end")) if in_probation else dissolved
        prefix = "dissolutions_probation" if in_probation else "dissolutions"
        layers = (
            selected.annotate(year=ExtractYear("dissolved_on"), start_year=ExtractYear("start_date"))
            .values("year", "start_year", KREIS, "occupation_id", RESPONSIBILITY)
            .annotate(n=Count("id"))
        )
        for row in layers:
            layer = row["year"] - row["start_year"]
            if 0 <= layer < LAYERS:
                facts.append((f"{prefix}_layer_{layer}", row["year"], None, *_key(row), row["n"]))
        monthly = (
            selected.annotate(month=TruncMonth("dissolved_on")).values("month", KREIS).annotate(n=Count("id"))
        )
        for row in monthly:
            month = _month(row["month"])
            year = reporting_year(month)
            facts.append((prefix, year, month, row[KREIS] or "", None, "", row["n"]))
    return facts


def reentry_facts(kreise: Collection[str] | None, *, today: datetime.date) -> list[Fact]:
    """Re-entry after a dissolution (no official counterpart), by the calendar year of the dissolution:

    - ``reentry_base_m`` (m = 3, 6, 12): dissolutions (BBiG § 22) whose window of m months after the day of
      the dissolution has passed by ``today``;
    - ``reentry_m``: of them, those whose apprentice began another training contract on the platform within
      m months (a next contract that began before the dissolution took effect counts as seamless).

    The same rule as ``monitoring.indicators.reentry_share``, counted per Kreis, occupation and chamber kind
    of the dissolved contract."""
    later_starts = (
        TrainingContract.objects.exclude(status=TrainingContract.Status.DRAFT)
        .filter(apprentice_id=OuterRef("apprentice_id"))
        .exclude(pk=OuterRef("pk"))
        .filter(start_date__gt=OuterRef("start_date"))
        .values("apprentice_id")
        .annotate(first=Min("start_date"))
        .values("first")
    )
    rows = (
        _contracts(kreise)
        .filter(dissolved_on__isnull=False, dissolved_on__lte=add_months(today, -min(REENTRY_WINDOWS)))
        .annotate(next_start=Subquery(later_starts[:1]))
        .values_list("dissolved_on", "next_start", KREIS, "occupation_id", RESPONSIBILITY)
        .iterator(chunk_size=5000)
    )
    counts: dict[tuple, int] = defaultdict(int)
    for dissolved_on, next_start, kreis, occupation_id, responsibility in rows:
        where = (kreis or "", occupation_id, responsibility or "")
        for months in REENTRY_WINDOWS:
            deadline = add_months(dissolved_on, months)
            if deadline > today:
                continue
            counts[(f"reentry_base_{months}", dissolved_on.year, *where)] += 1
            if next_start is not None and next_start <= deadline:
                counts[(f"reentry_{months}", dissolved_on.year, *where)] += 1
    return [(measure, year, None, *where, n) for (measure, year, *where), n in counts.items()]


def reporting_years_with_contracts(kreise: Collection[str] | None, *, today: datetime.date) -> list[int]:
    """The reporting years from the first contract entered to today's."""
    first = _contracts(kreise).aggregate(first=Min("created_at"))["first"]
    current = reporting_year(today)
    if first is None:
        return []
    first_day = timezone.localdate(first)
    start = reporting_year(first_day)
    return list(range(start, current + 1))


def monitoring_contract_facts(
    kreise: Collection[str] | None = None, *, today: datetime.date | None = None
) -> list[Fact]:
    """Every contract measure above for the Kreise (``None``: all of Germany)."""
    today = today or timezone.localdate()
    years = reporting_years_with_contracts(kreise, today=today)
    return (
        new_contract_facts(kreise, years)
        + concluded_by_month_facts(kreise)
        + dissolution_facts(kreise, today=today)
        + reentry_facts(kreise, today=today)
    )
