"""The nightly scoring of dropout prevention (`ausbildung retention assess`, e.g. from cron at night): the score
of every contract in training, stored as `Assessment` rows for the chamber's figures and for the score's quality
check (retention.quality).

One pass, set-based: the contracts in training (one query), their facts (about ten grouped queries over the
recent weeks of all record books, `selectors.facts_of(every=True)`), the pure weighting of `signals` in
Python, and the rows written in one statement (PostgreSQL `COPY`; `bulk_create` on SQLite), replacing the
day's rows if the task runs twice. Only the signals others may see are stored (never the apprentice's
check-in answers). Rows are kept for the latest day and the first day of each month of the last
`Assessment.HISTORY_MONTHS` months (docs/privacy.md); the rest is deleted by the same run.

A past day can be assessed too (`--day`): the demo builds its history that way, and an operator can fill the
history a new installation lacks. The facts of a past day leave out what came after it (see
records.selectors.retention_record_facts for the two approximations).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ausbildung.core.services import add_months

from . import quality, selectors, signals
from .models import Assessment, AssessmentRun, QualityCheck

CHUNK = 20_000  # rows per bulk_create batch on SQLite


@dataclass(frozen=True)
class AssessReport:
    day: datetime.date
    contracts: int
    watch: int
    talk: int
    deleted: int
    seconds: float


def assess(day: datetime.date | None = None) -> AssessReport:
    """Score every contract in training on `day` (default: today) and store the shared scores."""
    began = time.monotonic()
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValueError(f"{day:%d.%m.%Y} is in the future: only days up to today can be assessed")
    rows = [
        selectors.ContractRow(*values) for values in selectors.in_training_on(day).iterator(chunk_size=50_000)
    ]
    facts = selectors.facts_of(rows, today=day, every=len(rows) > 500)
    out: list[tuple[int, int, str, str]] = []
    watch = talk = 0
    for row in rows:
        shared = signals.score(facts[row.pk]).shared()
        points = shared.points
        level = signals.level_of(points)
        if level == signals.LEVEL_WATCH:
            watch += 1
        elif level == signals.LEVEL_TALK:
            talk += 1
        out.append((row.pk, points, level, ",".join(signal.key for signal in shared.signals)))
    with transaction.atomic():
        Assessment.objects.filter(day=day).delete()
        _write(day, out)
        seconds = time.monotonic() - began
        AssessmentRun.objects.update_or_create(
            day=day, defaults={"contracts": len(out), "watch": watch, "talk": talk, "seconds": seconds}
        )
        deleted = _prune()
    return AssessReport(day, len(out), watch, talk, deleted, time.monotonic() - began)


def _write(day: datetime.date, rows: list[tuple[int, int, str, str]]) -> None:
    if connection.vendor == "postgresql":
        table = Assessment._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor
            with raw.copy(f"COPY {table} (contract_id, day, points, level, signals) FROM STDIN") as copy:
                for pk, points, level, keys in rows:
                    copy.write_row((pk, day, points, level, keys))
        return
    for first in range(0, len(rows), CHUNK):
        Assessment.objects.bulk_create(
            Assessment(contract_id=pk, day=day, points=points, level=level, signals=keys)
            for pk, points, level, keys in rows[first : first + CHUNK]
        )


def _prune() -> int:
    """Delete what is not kept: days other than the latest and the first assessed day of each month, and
    everything older than HISTORY_MONTHS before the latest (decided on the runs, so no large scan)."""
    days = list(AssessmentRun.objects.order_by("day").values_list("day", flat=True))
    if not days:
        return 0
    latest = days[-1]
    oldest = add_months(latest, -Assessment.HISTORY_MONTHS)
    keep = {latest}
    months: dict[tuple[int, int], datetime.date] = {}
    for day in days:
        months.setdefault((day.year, day.month), day)
    keep.update(months.values())
    drop = [day for day in days if day not in keep or day < oldest]
    if not drop:
        return 0
    deleted, _ = Assessment.objects.filter(day__in=drop).delete()
    AssessmentRun.objects.filter(day__in=drop).delete()
    return deleted


def latest_run() -> AssessmentRun | None:
    """The latest nightly scoring (None before the first)."""
    return AssessmentRun.objects.order_by("-day").first()


# --- the score's quality (retention.quality) ------------------------------------------------------------------

HORIZON_MONTHS = 6  # a dissolution within six months of the scored day counts as "followed"
POOLED_DAYS = 12  # the latest twelve assessed days whose horizon has passed (a year of monthly scores)


def _followed(day: datetime.date) -> Q:
    return Q(
        day=day, contract__dissolved_on__gt=day, contract__dissolved_on__lte=add_months(day, HORIZON_MONTHS)
    )


def check_quality(today: datetime.date | None = None) -> QualityCheck:
    """Compare the stored scores of the assessed days at least HORIZON_MONTHS back (at most POOLED_DAYS of
    them) with the dissolutions in the HORIZON_MONTHS after each day, and store the AUC (quality.auc_of; the
    interval counts distinct contracts). All contracts of the platform, as counts per score."""
    today = today or timezone.localdate()
    limit = add_months(today, -HORIZON_MONTHS)
    days = list(
        AssessmentRun.objects.filter(day__lte=limit)
        .order_by("-day")
        .values_list("day", flat=True)[:POOLED_DAYS]
    )
    positives: dict[int, int] = {}
    negatives: dict[int, int] = {}
    for day in days:
        rows = (
            Assessment.objects.filter(day=day)
            .order_by()
            .values_list("points")
            .annotate(total=Count("pk"), followed=Count("pk", filter=_followed(day)))
        )
        for points, total, followed in rows:
            positives[points] = positives.get(points, 0) + followed
            negatives[points] = negatives.get(points, 0) + total - followed
    n_positive = n_negative = 0
    if days:
        followed_any = Q()
        for day in days:
            followed_any |= _followed(day)
        scored = Assessment.objects.filter(day__in=days).order_by()
        n_positive = scored.filter(followed_any).values("contract_id").distinct().count()
        n_negative = scored.exclude(followed_any).values("contract_id").distinct().count()
    result = quality.auc_of(positives, negatives, n_positive=n_positive, n_negative=n_negative)
    return QualityCheck.objects.create(
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        days=len(days),
        horizon_months=HORIZON_MONTHS,
        observations=sum(positives.values()) + sum(negatives.values()),
        dissolved=n_positive,
        not_dissolved=n_negative,
        auc=result.value if result else None,
        auc_low=result.low if result else None,
        auc_high=result.high if result else None,
    )
