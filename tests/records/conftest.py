"""Helpers to write record periods through the real services."""

from __future__ import annotations

import datetime

import pytest

from ausbildung.core.models import TrainingContract
from ausbildung.records import services


def week_input(
    monday: datetime.date,
    *,
    text: str = "Netzwerk geplant und eingerichtet.",
    hours: str = "8",
    school_day: int | None = 2,
    item_ids: list[int] | None = None,
) -> services.PeriodInput:
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        if offset >= 5:
            days.append(services.DayInput(day, "free", ""))
        elif offset == school_day:
            days.append(services.DayInput(day, "school", "6"))
        else:
            days.append(services.DayInput(day, "company", hours))
    return services.PeriodInput(
        company_work=text,
        instruction="Unterweisung Arbeitsschutz",
        school="Subnetting; IPv6",
        days=days,
        item_ids=item_ids or [],
    )


@pytest.fixture
def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


@pytest.fixture
def write_week(demo, contract):
    def write(monday: datetime.date, **kwargs):
        return services.record_period_save(
            actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday, **kwargs)
        )

    return write
