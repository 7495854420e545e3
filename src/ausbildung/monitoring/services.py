"""Writes of the monitoring area: saving official figures (from the shipped file or an office's table)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ausbildung.core.models import AuditLog

from .models import OfficialFigure

# The fields that identify a figure (the model's unique constraint); the rest is what a re-import may correct.
KEY_FIELDS = (
    "indicator",
    "area_level",
    "area_code",
    "responsibility_area",
    "occupation_code",
    "year",
    "year_kind",
    "source_url",
)


@dataclass(frozen=True)
class FigureRow:
    """One figure as read, before it is saved."""

    indicator: str
    area_level: str
    area_code: str
    year: int
    year_kind: str
    value: Decimal | None
    unit: str
    source_url: str
    source_title: str
    kind: str
    area_name: str = ""
    responsibility_area: str = ""
    occupation_code: str = ""
    occupation_name: str = ""
    sign: str = ""
    rounded_to: int | None = None
    note: str = ""
    derived_formula: str = ""

    def key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in KEY_FIELDS)


@dataclass
class SaveReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


def _same(figure: OfficialFigure, values: dict[str, object]) -> bool:
    for name, value in values.items():
        current = getattr(figure, name)
        if isinstance(current, Decimal) and isinstance(value, Decimal):
            if current.compare(value) != 0:
                return False
        elif current != value:
            return False
    return True


@transaction.atomic
def official_figures_save(*, rows: list[FigureRow], batch: str, actor_id: int | None = None) -> SaveReport:
    """Create or correct the figures of `rows` (idempotent: a second run with the same rows changes nothing).

    A figure is identified by KEY_FIELDS; a row with the same key corrects the stored value, sign and texts.
    One audit row per batch that changed something."""
    report = SaveReport()
    existing = {
        tuple(getattr(figure, name) for name in KEY_FIELDS): figure
        for figure in OfficialFigure.objects.filter(
            indicator__in={row.indicator for row in rows}, year__in={row.year for row in rows}
        )
    }
    now = timezone.now()
    to_create: list[OfficialFigure] = []
    to_update: list[OfficialFigure] = []
    seen: set[tuple[object, ...]] = set()
    for row in rows:
        key = row.key()
        if key in seen:
            continue  # the same figure twice in one table: the first counts
        seen.add(key)
        report.indicators.add(row.indicator)
        report.areas.add(row.area_code)
        report.years.add(row.year)
        values = {name: value for name, value in asdict(row).items() if name not in KEY_FIELDS}
        figure = existing.get(key)
        if figure is None:
            to_create.append(OfficialFigure(**asdict(row), imported_at=now, import_batch=batch))
            report.created += 1
        elif _same(figure, values):
            report.unchanged += 1
        else:
            for name, value in values.items():
                setattr(figure, name, value)
            figure.imported_at, figure.import_batch = now, batch
            to_update.append(figure)
            report.updated += 1
    OfficialFigure.objects.bulk_create(to_create)
    if to_update:
        OfficialFigure.objects.bulk_update(
            to_update, [*(n for n in asdict(rows[0]) if n not in KEY_FIELDS), "imported_at", "import_batch"]
        )
    if report.created or report.updated:
        AuditLog.objects.create(
            actor_id=actor_id,
            action="monitoring.official_figures_import",
            target_type="monitoring.officialfigure",
            summary=f"{batch}: {report.created} new, {report.updated} corrected"[:300],
            changes={"batch": batch, "created": report.created, "updated": report.updated},
        )
    return report
