"""The rules a training record is checked against: calendar, working-time limits, chamber profile.

Functions over plain values and the contract's own fields (no queries, apart from the chamber's profile in
`rules_for`), so they are easy to test and reuse (API, views, reminders). The calendar of a contract lives
here: its periods (`period_bounds`), the Land whose public holidays count (`land_iso`) and the prefilled days
of a period not yet written (`new_period`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from ausbildung.core.models import TrainingContract

    from .models import RecordDay, RecordPeriod

# --- chamber rules profile -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesProfile:
    """What a chamber asks of the Ausbildungsnachweis. Defaults follow the BIBB Hauptausschuss recommendation:
    daily or weekly, review at least monthly, hours shown, legal guardians of minors see it at intervals."""

    review_interval_days: int = 31
    allow_daily: bool = True
    allow_weekly: bool = True
    hours_required: bool = True
    guardian_signoff: bool = True
    guardian_interval_days: int = 92


DEFAULT_RULES = RulesProfile()


def rules_for(contract) -> RulesProfile:
    from .models import ChamberRules

    profile = ChamberRules.objects.filter(chamber_id=contract.chamber_id).first()
    if profile is None:
        return DEFAULT_RULES
    return RulesProfile(
        review_interval_days=profile.review_interval_days,
        allow_daily=profile.allow_daily,
        allow_weekly=profile.allow_weekly,
        hours_required=profile.hours_required,
        guardian_signoff=profile.guardian_signoff,
        guardian_interval_days=profile.guardian_interval_days,
    )


# --- calendar ------------------------------------------------------------------------------------------------


@cache
def public_holidays(land_iso: str, year: int) -> dict[datetime.date, str]:
    """Public holidays of a Land (ISO 3166-2 code without "DE-", e.g. "SL") in German, from `holidays`."""
    import holidays

    subdiv = land_iso or None
    return dict(holidays.country_holidays("DE", subdiv=subdiv, years=year, language="de").items())


def holiday_name(land_iso: str, day: datetime.date) -> str | None:
    return public_holidays(land_iso, day.year).get(day)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def contract_last_day(contract, today: datetime.date) -> datetime.date:
    """The last day that can have a record: today, the end of training or the day of dissolution."""
    last = min(today, contract.end_date)
    if contract.dissolved_on:
        last = min(last, contract.dissolved_on)
    return last


def expected_periods(
    *, form: str, start: datetime.date, end: datetime.date, land_iso: str = ""
) -> Iterator[tuple[datetime.date, datetime.date]]:
    """(start, end) of every record period from `start` to `end`.

    Weekly: Monday to Sunday, clipped to the contract. Daily: every Monday to Friday that is not a public
    holiday of the training site's Land.
    """
    if end < start:
        return
    if form == "weekly":
        monday = week_start(start)
        while monday <= end:
            yield max(monday, start), min(monday + datetime.timedelta(days=6), end)
            monday += datetime.timedelta(days=7)
        return
    day = start
    while day <= end:
        if day.weekday() < 5 and holiday_name(land_iso, day) is None:
            yield day, day
        day += datetime.timedelta(days=1)


def periods_until(
    *,
    form: str,
    contract_start: datetime.date,
    contract_end: datetime.date,
    last: datetime.date,
    land_iso: str = "",
) -> Iterator[tuple[datetime.date, datetime.date]]:
    """The contract's periods that have begun by `last` (the current week keeps its real end)."""
    for start, end in expected_periods(form=form, start=contract_start, end=contract_end, land_iso=land_iso):
        if start > last:
            return
        yield start, end


def period_for(*, form: str, day: datetime.date, contract_start: datetime.date, contract_end: datetime.date):
    """The period containing `day` (weekly: its week clipped to the contract; daily: the day itself)."""
    if form == "weekly":
        monday = week_start(day)
        return max(monday, contract_start), min(monday + datetime.timedelta(days=6), contract_end)
    return day, day


def dates_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every day from `start` to `end`: the day rows of a period."""
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


# --- the calendar of a contract ------------------------------------------------------------------------------


def land_iso(contract: TrainingContract) -> str:
    """ISO code of the Land of the training site (for public holidays), e.g. "SL"; "" if unknown.

    Reads `contract.site.region` and its parents: load them with the contract (`select_related`) or
    `selectors.load_site_region` first."""
    region = contract.site.region
    while region is not None and region.parent_id is not None:
        region = region.parent
    return region.iso_code.removeprefix("DE-") if region is not None else ""


def period_has_ended(end: datetime.date, today: datetime.date) -> bool:
    """Whether the last day of a period ending on `end` has begun on `today` (the local date, Europe/Berlin).

    The record book is evidence for the admission to the final exam (BBiG § 43 Abs. 1 Nr. 2): it records what
    has happened. A period may be drafted ahead (a plan), but it is submitted, signed and exported as signed
    only once its last day has begun."""
    return today >= end


def outside_contract_message(contract: TrainingContract) -> str:
    """The German explanation of a date outside the contract's term (pages and API say the same)."""
    return _(
        "This period lies outside the training contract, which runs from %(start)s to %(end)s. "
        "The record book has no periods before or after it."
    ) % {"start": f"{contract.start_date:%d.%m.%Y}", "end": f"{contract.end_date:%d.%m.%Y}"}


def period_bounds(contract: TrainingContract, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(start, end) of the contract's period containing `day`; a German ValidationError outside the contract."""
    if not contract.start_date <= day <= contract.end_date:
        raise ValidationError(
            {
                "start": _("The date lies outside the contract (%(start)s – %(end)s).")
                % {"start": f"{contract.start_date:%d.%m.%Y}", "end": f"{contract.end_date:%d.%m.%Y}"}
            }
        )
    return period_for(
        form=contract.record_form, day=day, contract_start=contract.start_date, contract_end=contract.end_date
    )


def default_place(
    contract: TrainingContract, day: datetime.date, previous: dict[int, RecordDay]
) -> tuple[str, str]:
    """Prefill: public holidays of the Land; weekends off; otherwise the same place as on that weekday last
    week (recurring vocational-school days), else the company."""
    from .models import RecordDay

    name = holiday_name(land_iso(contract), day)
    if name:
        return RecordDay.Place.HOLIDAY, name
    if day.weekday() >= 5:
        return RecordDay.Place.FREE, ""
    earlier = previous.get(day.weekday())
    if earlier is not None and earlier.place == RecordDay.Place.SCHOOL:
        return RecordDay.Place.SCHOOL, ""
    return RecordDay.Place.COMPANY, ""


def new_period(
    contract: TrainingContract, day: datetime.date, *, previous: RecordPeriod | None
) -> tuple[RecordPeriod, list[RecordDay]]:
    """An unsaved period with prefilled days (public holidays, weekends, recurring school days).

    `previous` is the contract's period before this one with its days (`selectors.previous_period`), or None;
    the site's Land must be loaded (see `land_iso`)."""
    from .models import WORKING_PLACES, RecordDay, RecordPeriod

    start, end = period_bounds(contract, day)
    period = RecordPeriod(contract=contract, start=start, end=end, form=contract.record_form)
    earlier_days = {d.date.weekday(): d for d in previous.days.all()} if previous is not None else {}
    days = []
    for current in dates_of(start, end):
        place, note = default_place(contract, current, earlier_days)
        earlier = earlier_days.get(current.weekday())
        hours = (
            earlier.hours
            if earlier is not None and earlier.place == place and place in WORKING_PLACES
            else None
        )
        lessons = (
            earlier.lessons
            if earlier is not None and earlier.place == place == RecordDay.Place.SCHOOL
            else None
        )
        days.append(
            RecordDay(period=period, date=current, place=place, note=note, hours=hours, lessons=lessons)
        )
    return period, days


def training_year(contract_start: datetime.date, day: datetime.date) -> int:
    """1 for the first twelve months from the start of training, 2 for the next twelve, …"""
    months = (day.year - contract_start.year) * 12 + (day.month - contract_start.month)
    if day.day < contract_start.day:
        months -= 1
    return months // 12 + 1


# --- working time ---------------------------------------------------------------------------------------------
# The working-time law (JArbSchG, ArbZG) is checked by `records.worktime`: hours above a limit are recorded and
# flagged as findings (records.services.working_time_recompute), no longer refused here.
